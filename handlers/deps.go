// Package handlers is shopcard's HTTP layer: routes, middleware, the error
// handler, and handlers that turn requests into view models for views.
package handlers

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/static"
	"shopcard/webhooks"
)

// Workspaces finds workspaces.
type Workspaces interface {
	WorkspaceByName(ctx context.Context, name string) (domain.Workspace, error)
}

// Stores lists and finds a workspace's store connections.
type Stores interface {
	StoresByWorkspace(ctx context.Context, workspaceID int64) ([]domain.Store, error)
	StoreByID(ctx context.Context, workspaceID, storeID int64) (domain.Store, error)
}

// CustomerLookup finds a customer and their orders in one store. The
// Shopify client implements it, and so does the cache that decorates it.
type CustomerLookup interface {
	LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error)
}

// WebhookReceiver verifies Shopify webhook deliveries and acts on them.
type WebhookReceiver interface {
	Receive(ctx context.Context, d webhooks.Delivery) (webhooks.Outcome, error)
}

// TokenVerifier checks embed tokens.
type TokenVerifier interface {
	Verify(ctx context.Context, token string) (embedtoken.Claims, error)
	// UnverifiedWorkspace reads the workspace a token names, checking
	// nothing (embedtoken.UnverifiedWorkspace).
	UnverifiedWorkspace(token string) string
}

// Pinger reports whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Metrics is what handlers count, and the /metrics endpoint.
type Metrics interface {
	Handler() http.Handler
	TokenRejected(reason string)
	HTTPRequest(route string, status int)
}

// Deps is everything the HTTP layer needs, passed in explicitly.
type Deps struct {
	Logger     *slog.Logger
	Now        func() time.Time
	Workspaces Workspaces
	Stores     Stores
	Lookup     CustomerLookup
	Tokens     TokenVerifier
	Webhooks   WebhookReceiver
	DB         Pinger
	Metrics    Metrics
	Static     *static.Files
	// FrameAncestors are the origins allowed to embed the sidebar.
	FrameAncestors []string
	// StoreTimeout bounds how long one store section waits for Shopify.
	StoreTimeout time.Duration
	// Sections keeps rendered store sections to send again; nil keeps
	// none.
	Sections *SectionCache
	// ReadScope, when set, marks a sidebar request's context so that its
	// reads of workspaces and stores see the database as of its first
	// one (sqlite.WithReadScope).
	ReadScope func(context.Context) context.Context
	// Demo, when set, serves the inbox simulator at /demo (and the component
	// gallery).
	Demo *DemoInbox
	// Dev is designer mode (`shopcard dev`, `demo --dev`): the component
	// gallery at /dev/components. Static files then come from disk, which
	// Static already says.
	Dev bool
	// Admin, when set, serves the admin console under /admin.
	Admin *Admin
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client; without them the connecting address does.
	TrustedProxies []*net.IPNet
}
