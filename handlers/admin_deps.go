package handlers

import (
	"context"
	"net/url"
	"time"

	"shopcard/auth"
	"shopcard/domain"
	"shopcard/shopify"
)

// Accounts keeps admins, their sessions and their OAuth states.
type Accounts interface {
	AdminByEmail(ctx context.Context, email string) (domain.Admin, error)
	CreateSession(ctx context.Context, adminID int64, tokenHash string) (int64, error)
	SessionByTokenHash(ctx context.Context, tokenHash string) (domain.Session, error)
	TouchSession(ctx context.Context, sessionID int64, at time.Time) error
	DeleteSession(ctx context.Context, sessionID int64) error
	DeleteExpiredSessions(ctx context.Context, idleBefore, startedBefore time.Time) error
	SetNotice(ctx context.Context, sessionID int64, n domain.Notice) error
	TakeNotice(ctx context.Context, sessionID int64) (domain.Notice, error)
	SaveOAuthState(ctx context.Context, sessionID int64, stateHash, shop string) error
	TakeOAuthState(ctx context.Context, sessionID int64, stateHash string) (string, time.Time, error)
}

// WorkspaceSettings reads and changes a workspace's embedding settings.
type WorkspaceSettings interface {
	WorkspaceByID(ctx context.Context, id int64) (domain.Workspace, error)
	RotateEmbedSecret(ctx context.Context, workspaceID int64, grace time.Duration) (domain.Workspace, error)
	UpdateWorkspaceSettings(ctx context.Context, workspaceID int64, frameAncestors []string, cacheTTL time.Duration) error
}

// StoreManager changes a workspace's store connections. Every method takes
// the workspace, so a store of another workspace is never found.
type StoreManager interface {
	StoresByWorkspace(ctx context.Context, workspaceID int64) ([]domain.Store, error)
	StoreByID(ctx context.Context, workspaceID, storeID int64) (domain.Store, error)
	RemoveStore(ctx context.Context, workspaceID, storeID int64) error
	UpdateStoreAccess(ctx context.Context, workspaceID, storeID int64, shopName string, scopes []string) error
	RecordStoreResult(ctx context.Context, storeID int64, status domain.StoreStatus, lastError string, at time.Time) error
}

// StoreConnector verifies credentials against Shopify and saves the
// connection: the same checks as `shopcard stores add`. creds carries the
// access token and, for OAuth, its kind, refresh token and expiries.
type StoreConnector interface {
	ConnectStore(ctx context.Context, ws domain.Workspace, shopDomain string, creds domain.Store) (domain.Store, bool, error)
}

// AccessChecker asks Shopify what a token opens.
type AccessChecker interface {
	CheckAccess(ctx context.Context, shop string, token domain.Secret) (shopify.ShopInfo, error)
}

// TokenKeeper hands out a store with a usable access token, renewing an
// expiring one first.
type TokenKeeper interface {
	Fresh(ctx context.Context, store domain.Store) (domain.Store, error)
}

// CacheControl is the part of the cache admins drive: a lookup that skips
// it, and dropping a store's answers.
type CacheControl interface {
	LookupFresh(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error)
	PurgeStore(storeID int64) int
}

// OAuthApp is the operator's Shopify app, for connecting stores with OAuth.
type OAuthApp interface {
	AuthorizeURL(shop, redirectURI, state string, scopes []string) (string, error)
	VerifyCallback(q url.Values) (string, error)
	ExchangeCode(ctx context.Context, shop, code string) (shopify.Tokens, error)
	FormActionSource() string
}

// WebhookSettings keeps what the stores page shows and changes about a
// store's webhooks: a custom app's signing secret, and the subscriptions
// made for stores connected through the app.
type WebhookSettings interface {
	SetWebhookSecret(ctx context.Context, workspaceID, storeID int64, secret domain.Secret) error
	HasWebhookSecret(ctx context.Context, storeID int64) (bool, error)
	WebhookSubscriptions(ctx context.Context, storeID int64) ([]domain.WebhookSubscription, error)
}

// WebhookSubscriber asks Shopify to deliver a store's webhooks to shopcard
// and records each topic's outcome.
type WebhookSubscriber func(ctx context.Context, store domain.Store) ([]domain.WebhookSubscription, error)

// Admin is what the admin console needs. When Deps.Admin is nil the console
// is not served.
type Admin struct {
	Accounts   Accounts
	Workspaces WorkspaceSettings
	Stores     StoreManager
	Connector  StoreConnector
	Checker    AccessChecker
	Keeper     TokenKeeper
	Cache      CacheControl
	// OAuth is nil unless the operator configured a Shopify app and a
	// public URL.
	OAuth OAuthApp
	// PublicURL is where shopcard is reached (SHOPCARD_PUBLIC_URL): OAuth's
	// redirect URI, the snippets' sidebar URL, and Secure cookies when https.
	PublicURL string
	// DefaultCacheTTL is the server's cache TTL, shown as the default.
	DefaultCacheTTL time.Duration
	// Webhooks keeps signing secrets and subscription states.
	Webhooks WebhookSettings
	// Subscribe is nil unless shopcard knows the public URL Shopify can
	// deliver to (SHOPCARD_PUBLIC_URL).
	Subscribe WebhookSubscriber
	// AccountLimiter and IPLimiter throttle failed sign-ins.
	AccountLimiter *auth.Limiter
	IPLimiter      *auth.Limiter
}

// Sign-in throttling: failures allowed per account and per client address
// within the window.
const (
	SignInFailuresPerAccount = 5
	SignInFailuresPerIP      = 20
	SignInWindow             = 15 * time.Minute
)

// NewSignInLimiters returns the account and IP limiters with shopcard's
// limits.
func NewSignInLimiters() (account, ip *auth.Limiter) {
	return auth.NewLimiter(SignInFailuresPerAccount, SignInWindow), auth.NewLimiter(SignInFailuresPerIP, SignInWindow)
}

// Session lifetimes: a session ends after SessionIdle without a request,
// and SessionMax after sign-in whatever happens.
const (
	SessionIdle = 2 * time.Hour
	SessionMax  = 12 * time.Hour
	// touchEvery limits how often activity is written.
	touchEvery = time.Minute
	// oauthStateTTL bounds how long an admin may take to approve the app.
	oauthStateTTL = 15 * time.Minute
)
