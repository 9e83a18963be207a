package shopify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"shopcard/domain"
)

// DefaultURLTemplate sends requests to the shop's own domain.
const DefaultURLTemplate = "https://{shop}"

// maxResponseBytes bounds what we read from Shopify: a 50-order answer is
// well under 1 MB, so anything near this is not an answer we want.
const maxResponseBytes = 16 << 20

// Observer receives one call per HTTP request to Shopify, for metrics.
// outcome is "ok" or a domain.Kind name.
type Observer interface {
	ObserveShopifyRequest(shop, outcome string, elapsed time.Duration, cost int)
}

// Options configures a Client.
type Options struct {
	// URLTemplate is the base URL of a shop's Admin API with {shop} where the
	// shop's domain goes; see DefaultURLTemplate. Only the operator sets it
	// (SHOPCARD_SHOPIFY_URL); nothing a request carries can change it.
	URLTemplate string
	// HTTPClient defaults to a client that never follows redirects.
	HTTPClient *http.Client
	Observer   Observer
	Now        func() time.Time
}

// Client talks to the Shopify Admin GraphQL API of any number of shops.
type Client struct {
	template string
	http     *http.Client
	observer Observer
	now      func() time.Time
}

// NewClient validates the options and returns a Client.
func NewClient(o Options) (*Client, error) {
	if o.URLTemplate == "" {
		o.URLTemplate = DefaultURLTemplate
	}
	if err := ValidateURLTemplate(o.URLTemplate); err != nil {
		return nil, err
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{
			Transport: &http.Transport{
				Proxy:               http.ProxyFromEnvironment,
				MaxIdleConnsPerHost: 16,
				IdleConnTimeout:     90 * time.Second,
				TLSHandshakeTimeout: 10 * time.Second,
				ForceAttemptHTTP2:   true,
			},
		}
	}
	// A redirect would send the access token somewhere we did not choose.
	client := *o.HTTPClient
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Client{template: strings.TrimRight(o.URLTemplate, "/"), http: &client, observer: o.Observer, now: o.Now}, nil
}

// ValidateURLTemplate checks an operator's SHOPCARD_SHOPIFY_URL.
func ValidateURLTemplate(t string) error {
	if !strings.Contains(t, "{shop}") {
		return fmt.Errorf("SHOPCARD_SHOPIFY_URL %q must contain {shop}", t)
	}
	u, err := url.Parse(strings.ReplaceAll(t, "{shop}", "example.myshopify.com"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("SHOPCARD_SHOPIFY_URL %q must be an http(s) URL such as https://{shop}", t)
	}
	return nil
}

// Endpoint returns the GraphQL endpoint for a shop, refusing any shop that
// is not a valid *.myshopify.com domain.
func (c *Client) Endpoint(shop string) (string, error) {
	if !ValidShopDomain(shop) {
		return "", domain.Errorf(domain.KindInvalid, "%q is not a myshopify.com domain; shopcard only talks to *.myshopify.com.", shop)
	}
	return strings.ReplaceAll(c.template, "{shop}", shop) + "/admin/api/" + APIVersion + "/graphql.json", nil
}

// Cost is the extensions.cost block Shopify returns with every answer.
type Cost struct {
	RequestedQueryCost int            `json:"requestedQueryCost"`
	ActualQueryCost    *int           `json:"actualQueryCost"`
	ThrottleStatus     ThrottleStatus `json:"throttleStatus"`
}

// ThrottleStatus is the state of the shop's leaky bucket after a request.
type ThrottleStatus struct {
	MaximumAvailable   float64 `json:"maximumAvailable"`
	CurrentlyAvailable float64 `json:"currentlyAvailable"`
	RestoreRate        float64 `json:"restoreRate"`
}

// shopCall is a graphql.Client bound to one shop and token for one call. It
// keeps the cost Shopify reported so the caller can read it afterwards.
type shopCall struct {
	c     *Client
	shop  string
	token domain.Secret
	cost  *Cost
}

// MakeRequest implements graphql.Client.
func (s *shopCall) MakeRequest(ctx context.Context, req *graphql.Request, resp *graphql.Response) error {
	start := s.c.now()
	err := s.do(ctx, req, resp)
	if s.c.observer != nil {
		outcome := "ok"
		var partial *PartialError
		if err != nil && !errors.As(err, &partial) {
			outcome = domain.KindOf(err).String()
		}
		spent := 0
		if s.cost != nil && s.cost.ActualQueryCost != nil {
			spent = *s.cost.ActualQueryCost
		}
		s.c.observer.ObserveShopifyRequest(s.shop, outcome, s.c.now().Sub(start), spent)
	}
	return err
}

func (s *shopCall) do(ctx context.Context, req *graphql.Request, resp *graphql.Response) error {
	endpoint, err := s.c.Endpoint(s.shop)
	if err != nil {
		return err
	}
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("encode %s: %w", req.OpName, err)
	}
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	httpReq.Header.Set("Content-Type", "application/json")
	httpReq.Header.Set("Accept", "application/json")
	httpReq.Header.Set("User-Agent", "shopcard")
	httpReq.Header.Set("X-Shopify-Access-Token", s.token.Reveal())

	httpResp, err := s.c.http.Do(httpReq)
	if err != nil {
		return transportError(ctx, err)
	}
	defer httpResp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(httpResp.Body, maxResponseBytes+1))
	if err != nil {
		return transportError(ctx, err)
	}
	if httpResp.StatusCode != http.StatusOK {
		return statusError(httpResp.StatusCode)
	}
	if len(raw) > maxResponseBytes {
		return domain.Errorf(domain.KindShopifyUnavailable, "Shopify sent an answer larger than %d MB, which shopcard refuses to read.", maxResponseBytes>>20)
	}
	if err := json.Unmarshal(raw, resp); err != nil {
		return domain.Wrap(domain.KindShopifyUnavailable, err, "Shopify sent an answer shopcard could not read")
	}
	s.cost = parseCost(resp.Extensions)
	if len(resp.Errors) > 0 {
		return graphQLError(resp.Errors)
	}
	return nil
}

func parseCost(ext map[string]any) *Cost {
	raw, ok := ext["cost"]
	if !ok {
		return nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil
	}
	var c Cost
	if json.Unmarshal(b, &c) != nil {
		return nil
	}
	return &c
}

// transportError explains a request that got no HTTP answer.
func transportError(ctx context.Context, err error) error {
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
		return domain.Wrap(domain.KindShopifyTimeout, err, "Shopify did not answer in time")
	}
	return domain.Wrap(domain.KindShopifyUnavailable, err, "Shopify could not be reached")
}

// statusError maps an HTTP status from Shopify to an error kind with a
// message in plain words.
func statusError(status int) error {
	switch {
	case status == http.StatusUnauthorized:
		return domain.Errorf(domain.KindShopifyAuth, "Shopify rejected this store's access token (401): it was revoked, or the app was uninstalled. An admin needs to reconnect the store.")
	case status == http.StatusPaymentRequired:
		return domain.Errorf(domain.KindShopifyFrozen, "The shop is frozen (402): Shopify suspended it, usually over an unpaid bill. It works again once the shop owner settles it.")
	case status == http.StatusForbidden:
		return domain.Errorf(domain.KindShopifyForbidden, "Shopify refused access (403): the app lacks a permission it needs. An admin should reconnect the store with read_customers and read_orders.")
	case status == http.StatusNotFound:
		return domain.Errorf(domain.KindShopifyGone, "Shopify has no shop at this domain (404). Check the domain, or remove the store if it was closed.")
	case status == http.StatusLocked:
		return domain.Errorf(domain.KindShopifyLocked, "The shop is locked (423) by Shopify. The shop owner needs to contact Shopify support.")
	case status == http.StatusTooManyRequests:
		return domain.Errorf(domain.KindShopifyThrottled, "Shopify is rate-limiting requests to this shop (429).")
	case status >= 500:
		return domain.Errorf(domain.KindShopifyUnavailable, "Shopify is having trouble (HTTP %d).", status)
	default:
		return domain.Errorf(domain.KindShopifyUnavailable, "Shopify answered with an unexpected HTTP %d.", status)
	}
}

// PartialError means Shopify answered with data but withheld some fields:
// protected customer data the app is not approved for comes back null with
// an ACCESS_DENIED error per field. Paths lists those fields.
type PartialError struct {
	Paths []string // e.g. "customer.firstName"
}

func (e *PartialError) Error() string {
	return "Shopify withheld protected fields: " + strings.Join(e.Paths, ", ")
}

// graphQLError classifies the errors array of a 200 answer.
func graphQLError(list gqlerror.List) error {
	var denied []string
	for _, e := range list {
		code, _ := e.Extensions["code"].(string)
		switch code {
		case "THROTTLED":
			return domain.Errorf(domain.KindShopifyThrottled, "Shopify is rate-limiting requests to this shop (THROTTLED).")
		case "ACCESS_DENIED":
			denied = append(denied, e.Path.String())
		case "MAX_COST_EXCEEDED":
			return domain.Wrap(domain.KindShopifyQueryInvalid, list, "Shopify refused the query as too expensive")
		case "INTERNAL_SERVER_ERROR":
			return domain.Wrap(domain.KindShopifyUnavailable, list, "Shopify had an internal error")
		default:
			return domain.Wrap(domain.KindShopifyQueryInvalid, list, "Shopify rejected the query")
		}
	}
	return &PartialError{Paths: denied}
}
