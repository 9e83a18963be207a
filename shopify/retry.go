package shopify

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// RetryPolicy bounds how a request is retried after 429, 5xx, THROTTLED
// or a dropped connection. 400, 401, 402, 403, 404 and 423 are never
// retried: asking again cannot change the answer. Every wait also has to
// end before the request's deadline, or the request gives up at once.
type RetryPolicy struct {
	// MaxAttempts counts the first request too.
	MaxAttempts int
	// BaseDelay is the backoff after the first failure; it doubles after
	// each further one, up to MaxDelay. Half of each delay is random.
	BaseDelay time.Duration
	MaxDelay  time.Duration
}

// DefaultRetryPolicy allows four attempts, 0.2 s, 0.4 s and 0.8 s apart
// (give or take jitter): enough to ride out a blip, too few to pile onto a
// struggling shop.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, BaseDelay: 200 * time.Millisecond, MaxDelay: 2 * time.Second}

// Retry reasons, as metrics label them.
const (
	retryThrottled = "throttled"     // THROTTLED in a 200 answer
	retryTooMany   = "429"           // HTTP 429
	retryServer    = "5xx"           // HTTP 5xx, or INTERNAL_SERVER_ERROR
	retryNetwork   = "network_error" // no answer at all
)

// throttleJitter is added to the wait Shopify's throttleStatus implies, so
// requests that were throttled together do not come back together.
const (
	throttleJitterMin = 100 * time.Millisecond
	throttleJitterMax = 300 * time.Millisecond
)

// attemptResult is what one HTTP request to Shopify told us, beyond its
// error: enough to decide whether and when to try again.
type attemptResult struct {
	retry      string        // a retry reason, or "" when retrying is pointless
	retryAfter time.Duration // from a Retry-After header
}

// backoff is the delay before attempt n+1 after n failures.
func (c *Client) backoff(n int) time.Duration {
	d := float64(c.retry.BaseDelay) * math.Pow(2, float64(n-1))
	d = math.Min(d, float64(c.retry.MaxDelay))
	return time.Duration(d/2 + c.rand()*d/2)
}

// throttleWait is how long to wait after THROTTLED: until the bucket holds
// the requested points again, by Shopify's own numbers, plus jitter.
func (c *Client) throttleWait(cost *Cost) time.Duration {
	jitter := throttleJitterMin + time.Duration(c.rand()*float64(throttleJitterMax-throttleJitterMin))
	if cost == nil || cost.ThrottleStatus.RestoreRate <= 0 {
		return c.retry.MaxDelay + jitter
	}
	missing := float64(cost.RequestedQueryCost) - cost.ThrottleStatus.CurrentlyAvailable
	if missing <= 0 {
		return jitter
	}
	rate := clamp(cost.ThrottleStatus.RestoreRate, minRestoreRate, maxRestoreRate)
	return min(time.Duration(missing/rate*float64(time.Second)), maxEstimateWait) + jitter
}

// retryDelay decides whether to try again after attempt n failed, and
// after how long.
func (c *Client) retryDelay(n int, res attemptResult, cost *Cost) (time.Duration, bool) {
	if res.retry == "" || n >= c.retry.MaxAttempts {
		return 0, false
	}
	switch res.retry {
	case retryThrottled:
		return c.throttleWait(cost), true
	case retryTooMany:
		return max(c.backoff(n), res.retryAfter), true
	}
	return c.backoff(n), true
}

// parseRetryAfter reads Retry-After in seconds ("2.0" from Shopify), and
// ignores anything else; the HTTP-date form is not used by Shopify.
func parseRetryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	s, err := strconv.ParseFloat(v, 64)
	if err != nil || s < 0 || s > 60 {
		return 0
	}
	return time.Duration(s * float64(time.Second))
}

// requestedCostOf is what Shopify will reserve from the bucket for req, as
// RequestedCost estimates it; 0 when the operation cannot be costed, which
// makes the request skip the bucket rather than wait for nothing.
func (c *Client) requestedCostOf(req *graphql.Request) int {
	if v, ok := c.costs.Load(req.Query); ok {
		return v.(int)
	}
	cost := 0
	if doc, errs := gqlparser.LoadQuery(Schema(), req.Query); len(errs) == 0 {
		var op *ast.OperationDefinition
		if req.OpName != "" {
			op = doc.Operations.ForName(req.OpName)
		} else if len(doc.Operations) == 1 {
			op = doc.Operations[0]
		}
		cost = RequestedCost(Schema(), op, nil)
	}
	c.costs.Store(req.Query, cost)
	return cost
}

// isQuery reports whether an operation only reads, so that a request lost
// in transit can safely be sent again.
func isQuery(req *graphql.Request) bool {
	return !strings.HasPrefix(strings.TrimSpace(req.Query), "mutation")
}
