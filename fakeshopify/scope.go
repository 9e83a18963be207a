package fakeshopify

import (
	"context"
	"slices"
	"strings"
	"time"
)

// requestScope is what resolvers know about the request being answered:
// the store, what the token may see, and the time the request arrived.
// The handler puts it in the context; resolvers read it from there, which
// keeps them free of HTTP.
type requestScope struct {
	srv      *Server
	st       *store
	shop     Store
	clientID string // the app the token was issued to; "" for a custom app
	scopes   []string
	withhold bool // protected customer data is withheld
	now      time.Time
}

type scopeKey struct{}

func withScope(ctx context.Context, sc *requestScope) context.Context {
	return context.WithValue(ctx, scopeKey{}, sc)
}

func scopeFrom(ctx context.Context) *requestScope {
	sc, _ := ctx.Value(scopeKey{}).(*requestScope)
	if sc == nil {
		// Only the GraphQL handler executes queries, and it always sets one.
		panic("fakeshopify: resolver called without a request scope")
	}
	return sc
}

// has reports whether the token was granted a scope. As on Shopify, a
// write_ scope implies the matching read_ scope.
func (sc *requestScope) has(scope string) bool {
	if slices.Contains(sc.scopes, scope) {
		return true
	}
	if rest, ok := strings.CutPrefix(scope, "read_"); ok {
		return slices.Contains(sc.scopes, "write_"+rest)
	}
	return false
}

const day = 24 * time.Hour

// orderWindow is how far back a token without read_all_orders sees orders.
const orderWindow = 60 * day

// canSee reports whether the token may see an order: without
// read_all_orders, only those created in the last 60 days.
func (sc *requestScope) canSee(o *Order) bool {
	return sc.has("read_all_orders") || !o.CreatedAt.Before(sc.now.Add(-orderWindow))
}
