package shopify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
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

// Observer receives what the client does, for metrics: one
// ObserveShopifyRequest per HTTP request to Shopify (outcome is "ok" or a
// domain.Kind name), one ObserveShopifyThrottleWait each time a request
// waits for its shop's rate limit before being sent (reason: WaitRefill or
// WaitProbe), one ObserveShopifyThrottled each time Shopify itself
// answers THROTTLED, and one ObserveShopifyRetry each time a request is
// sent again (reason: throttled, 429, 5xx or network_error).
type Observer interface {
	ObserveShopifyRequest(shop, outcome string, elapsed time.Duration, cost int)
	ObserveShopifyThrottleWait(shop, reason string, waited time.Duration)
	// ObserveShopifyThrottled counts an answer of Shopify's that said
	// THROTTLED: the local estimate let through a request Shopify had no
	// points for.
	ObserveShopifyThrottled(shop string)
	ObserveShopifyRetry(shop, reason string)
	// ObserveShopifyThrottleRefusal counts a request refused without
	// being sent, because the shop's bucket estimate had no points for it
	// before its deadline.
	ObserveShopifyThrottleRefusal(shop string)
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
	// Retry defaults to DefaultRetryPolicy.
	Retry RetryPolicy
	// Now, Sleep and Rand are the clock, the waiting and the jitter, for
	// tests to replace. Sleep waits d, or until wake is closed, or until
	// ctx ends (the only case that returns an error). Rand returns a
	// number in [0, 1).
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration, wake <-chan struct{}) error
	Rand  func() float64
	// BatchWait bounds how long a contact's first uncached lookup waits
	// for the others of its section (see lookup_batch.go); zero means
	// DefaultBatchWait.
	BatchWait time.Duration
}

// Client talks to the Shopify Admin GraphQL API of any number of shops. It
// keeps an estimate of each shop's rate-limit bucket, so its requests to
// one shop wait their turn rather than get throttled, and it retries what
// is worth retrying within each request's deadline.
type Client struct {
	template string
	http     *http.Client
	observer Observer
	retry    RetryPolicy
	now      func() time.Time
	sleep    func(ctx context.Context, d time.Duration, wake <-chan struct{}) error
	rand     func() float64

	batchWait time.Duration

	bucketsMu sync.Mutex
	buckets   map[string]*bucketEstimate

	// costs remembers each operation's estimated requested cost by its
	// text; learned, the requestedQueryCost Shopify last reported for each
	// shop and operation (see cost_learned.go).
	costs   sync.Map // string → int
	learned sync.Map // learnedKey → int

	// batches are the contact lookups waiting to share a request.
	batchesMu sync.Mutex
	batches   map[batchKey]*pendingBatch
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
	if o.Sleep == nil {
		o.Sleep = SleepContext
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.Retry.MaxAttempts <= 0 {
		o.Retry = DefaultRetryPolicy
	}
	if o.BatchWait <= 0 {
		o.BatchWait = DefaultBatchWait
	}
	return &Client{
		template: strings.TrimRight(o.URLTemplate, "/"), http: &client, observer: o.Observer, retry: o.Retry,
		now: o.Now, sleep: o.Sleep, rand: o.Rand, batchWait: o.BatchWait, buckets: map[string]*bucketEstimate{},
	}, nil
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

// MakeRequest implements graphql.Client: it waits for the shop's rate
// limit, sends the request, and retries 429, 5xx and THROTTLED answers
// (and, for queries, lost connections) with backoff, all before ctx's
// deadline. Each HTTP request is observed on its own.
func (s *shopCall) MakeRequest(ctx context.Context, req *graphql.Request, resp *graphql.Response) error {
	requested := s.c.costToReserve(s.shop, req)
	bucket := s.c.bucketFor(s.shop)
	for attempt := 1; ; attempt++ {
		held, err := s.c.acquire(ctx, s.shop, requested)
		if err != nil {
			return err
		}
		resp.Errors, resp.Extensions, s.cost = nil, nil, nil
		start := s.c.now()
		res, err := s.do(ctx, req, resp)
		var status *ThrottleStatus
		if s.cost != nil {
			status = &s.cost.ThrottleStatus
		}
		bucket.settle(held, status, s.c.now())
		if s.cost != nil {
			requested = s.c.learnCost(s.shop, req, s.cost.RequestedQueryCost)
		}
		s.observe(err, s.c.now().Sub(start))
		if err == nil {
			return nil
		}
		if res.retry == retryNetwork && !isQuery(req) {
			return err
		}
		delay, again := s.c.retryDelay(attempt, res, s.cost)
		if !again || !fitsDeadline(ctx, delay) {
			return err
		}
		if s.c.observer != nil {
			s.c.observer.ObserveShopifyRetry(s.shop, res.retry)
		}
		if serr := s.c.sleep(ctx, delay, nil); serr != nil {
			return domain.Wrap(domain.KindShopifyTimeout, serr, "Shopify did not answer in time")
		}
	}
}

func (s *shopCall) observe(err error, elapsed time.Duration) {
	if s.c.observer == nil {
		return
	}
	outcome := "ok"
	var partial *PartialError
	if err != nil && !errors.As(err, &partial) {
		outcome = domain.KindOf(err).String()
	}
	spent := 0
	if s.cost != nil && s.cost.ActualQueryCost != nil {
		spent = *s.cost.ActualQueryCost
	}
	s.c.observer.ObserveShopifyRequest(s.shop, outcome, elapsed, spent)
}

// do sends one HTTP request and reads its answer.
func (s *shopCall) do(ctx context.Context, req *graphql.Request, resp *graphql.Response) (attemptResult, error) {
	endpoint, err := s.c.Endpoint(s.shop)
	if err != nil {
		return attemptResult{}, err
	}
	body, err := json.Marshal(req)
	if err != nil {
		return attemptResult{}, fmt.Errorf("encode %s: %w", req.OpName, err)
	}
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return attemptResult{}, err
	}
	httpReq.Header.Set("Content-Type", "application/json")
	httpReq.Header.Set("Accept", "application/json")
	httpReq.Header.Set("User-Agent", "shopcard")
	httpReq.Header.Set("X-Shopify-Access-Token", s.token.Reveal())

	httpResp, err := s.c.http.Do(httpReq)
	if err != nil {
		return transportResult(ctx), transportError(ctx, err)
	}
	defer httpResp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(httpResp.Body, maxResponseBytes+1))
	if err != nil {
		return transportResult(ctx), transportError(ctx, err)
	}
	if httpResp.StatusCode != http.StatusOK {
		res := attemptResult{}
		switch {
		case httpResp.StatusCode == http.StatusTooManyRequests:
			res = attemptResult{retry: retryTooMany, retryAfter: parseRetryAfter(httpResp.Header)}
		case httpResp.StatusCode >= 500:
			res = attemptResult{retry: retryServer}
		}
		return res, statusError(httpResp.StatusCode, raw)
	}
	if len(raw) > maxResponseBytes {
		return attemptResult{}, domain.Errorf(domain.KindShopifyUnavailable, "Shopify sent an answer larger than %d MB, which shopcard refuses to read.", maxResponseBytes>>20)
	}
	if err := json.Unmarshal(raw, resp); err != nil {
		return attemptResult{}, domain.Wrap(domain.KindShopifyUnavailable, err, "Shopify sent an answer shopcard could not read")
	}
	s.cost = parseCost(resp.Extensions)
	if len(resp.Errors) > 0 {
		err := graphQLError(resp.Errors)
		res := attemptResult{}
		switch {
		case domain.KindOf(err) == domain.KindShopifyThrottled:
			res.retry = retryThrottled
			if s.c.observer != nil {
				s.c.observer.ObserveShopifyThrottled(s.shop)
			}
		case domain.KindOf(err) == domain.KindShopifyUnavailable:
			res.retry = retryServer
		}
		return res, err
	}
	return attemptResult{}, nil
}

// transportResult says a request that got no answer is worth sending
// again, unless its own deadline is what stopped it.
func transportResult(ctx context.Context) attemptResult {
	if ctx.Err() != nil {
		return attemptResult{}
	}
	return attemptResult{retry: retryNetwork}
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

// statusError maps an HTTP status from Shopify, and its body, to an error
// kind with a message in plain words. Only a 403 needs its body to be
// understood: Shopify sends it for a scope the app lacks and, with
// "Unavailable Shop", for some frozen or paused shops.
func statusError(status int, body []byte) error {
	switch {
	case status == http.StatusBadRequest:
		return domain.Errorf(domain.KindShopifyQueryInvalid, "Shopify refused the request as malformed (400).")
	case status == http.StatusUnauthorized:
		return domain.Errorf(domain.KindShopifyAuth, "Shopify rejected this store's access token (401): it was revoked, it expired, or the app was uninstalled.")
	case status == http.StatusPaymentRequired:
		return domain.Errorf(domain.KindShopifyFrozen, "The shop is frozen (402): Shopify suspended it, usually over an unpaid bill. It works again once the shop owner settles it.")
	case status == http.StatusForbidden:
		return forbiddenError(errorsText(body))
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

// scopeName finds an access scope's handle in Shopify's words.
var scopeName = regexp.MustCompile(`\b(?:read|write)_[a-z_]+\b`)

// forbiddenError explains a 403 by what Shopify said with it.
func forbiddenError(text string) error {
	switch {
	case strings.Contains(strings.ToLower(text), "unavailable shop"):
		return domain.Errorf(domain.KindShopifyFrozen, "Shopify says this shop is unavailable (403 Unavailable Shop): it is frozen or paused, usually over an unpaid bill. It works again once the shop owner settles it with Shopify.")
	case scopeName.MatchString(text):
		scope := scopeName.FindString(text)
		return domain.Errorf(domain.KindShopifyForbidden, "Shopify refused access (403) for want of the %s scope (%q). Grant %s to the app in Shopify, then test the connection again.", scope, text, scope)
	case text != "":
		return domain.Errorf(domain.KindShopifyForbidden, "Shopify refused access (403): %q. Check the app's permissions in Shopify, then test the connection again.", text)
	}
	return domain.Errorf(domain.KindShopifyForbidden, "Shopify refused access (403) without saying why. Check the app's permissions in Shopify, then test the connection again.")
}

// errorsText is the "errors" string of the body Shopify sends with an
// HTTP error, trimmed to a length fit for a message; "" when there is
// none.
func errorsText(body []byte) string {
	var b struct {
		Errors any `json:"errors"`
	}
	if json.Unmarshal(body, &b) != nil {
		return ""
	}
	text, _ := b.Errors.(string)
	text = strings.TrimSpace(text)
	if r := []rune(text); len(r) > 200 {
		text = string(r[:200]) + "…"
	}
	return text
}

// PartialError means Shopify answered with data but withheld some fields:
// protected customer data the app is not approved for, or fields a scope
// the app lacks would open, come back null with an ACCESS_DENIED error
// per field. Paths lists those fields, and Scopes the scopes Shopify said
// would open them (its requiredAccess), first choice first.
type PartialError struct {
	Paths  []string // e.g. "customer.firstName"
	Scopes []string // e.g. "read_fulfillments"
}

func (e *PartialError) Error() string {
	return "Shopify withheld protected fields: " + strings.Join(e.Paths, ", ")
}

// graphQLError classifies the errors array of a 200 answer.
func graphQLError(list gqlerror.List) error {
	var denied, scopes []string
	for _, e := range list {
		code, _ := e.Extensions["code"].(string)
		switch code {
		case "THROTTLED":
			return domain.Errorf(domain.KindShopifyThrottled, "Shopify is rate-limiting requests to this shop (THROTTLED).")
		case "ACCESS_DENIED":
			denied = append(denied, e.Path.String())
			required, _ := e.Extensions["requiredAccess"].(string)
			for _, sc := range scopeName.FindAllString(required, -1) {
				if !slices.Contains(scopes, sc) {
					scopes = append(scopes, sc)
				}
			}
		case "MAX_COST_EXCEEDED":
			return domain.Wrap(domain.KindShopifyQueryInvalid, list, "Shopify refused the query as too expensive")
		case "INTERNAL_SERVER_ERROR":
			return domain.Wrap(domain.KindShopifyUnavailable, list, "Shopify had an internal error")
		default:
			return domain.Wrap(domain.KindShopifyQueryInvalid, list, "Shopify rejected the query")
		}
	}
	return &PartialError{Paths: denied, Scopes: scopes}
}
