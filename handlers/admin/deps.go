// Package admin is the admin console: signing in, connecting and testing
// stores, the embed settings and secret, the troubleshooter, and the
// helpdesk installations. Each area
// is a struct holding exactly what its handlers use; handlers/routes.go
// registers their methods. Every lookup is scoped to the signed-in admin's
// workspace, whatever IDs a request carries.
package admin

import (
	"context"
	"net/url"
	"time"

	"shopcard/ai"
	"shopcard/domain"
	"shopcard/inbox"
	"shopcard/shopify"
	"shopcard/webhooks"
)

// SessionStore keeps admin sessions.
type SessionStore interface {
	SessionByTokenHash(ctx context.Context, tokenHash string) (domain.Session, error)
	TouchSession(ctx context.Context, sessionID int64, at time.Time) error
	DeleteSession(ctx context.Context, sessionID int64) error
}

// Accounts finds admins and opens sessions for them.
type Accounts interface {
	AdminByEmail(ctx context.Context, email string) (domain.Admin, error)
	CreateSession(ctx context.Context, adminID int64, tokenHash string) (int64, error)
	DeleteExpiredSessions(ctx context.Context, idleBefore, startedBefore time.Time) error
}

// Notices keeps the one-time message a POST leaves for the page it
// redirects to.
type Notices interface {
	SetNotice(ctx context.Context, sessionID int64, n domain.Notice) error
	TakeNotice(ctx context.Context, sessionID int64) (domain.Notice, error)
}

// OAuthStates keeps the single-use state nonces of OAuth flows.
type OAuthStates interface {
	SaveOAuthState(ctx context.Context, sessionID int64, stateHash, shop string) error
	TakeOAuthState(ctx context.Context, sessionID int64, stateHash string) (string, time.Time, error)
}

// WorkspaceFinder finds the signed-in admin's workspace.
type WorkspaceFinder interface {
	WorkspaceByID(ctx context.Context, id int64) (domain.Workspace, error)
}

// WorkspaceSettings reads and changes a workspace's embedding settings.
type WorkspaceSettings interface {
	WorkspaceFinder
	// RotateEmbedSecretIf rotates the secret only if it is still
	// replacing; otherwise it returns the workspace with the secret a
	// simultaneous rotation made.
	RotateEmbedSecretIf(ctx context.Context, workspaceID int64, replacing domain.Secret, grace time.Duration) (domain.Workspace, bool, error)
	UpdateWorkspaceSettings(ctx context.Context, workspaceID int64, frameAncestors []string, cacheTTL time.Duration) error
}

// StoreLister lists and finds a workspace's stores. Every method takes the
// workspace, so a store of another workspace is never found.
type StoreLister interface {
	StoresByWorkspace(ctx context.Context, workspaceID int64) ([]domain.Store, error)
	StoreByID(ctx context.Context, workspaceID, storeID int64) (domain.Store, error)
}

// StoreManager changes a workspace's store connections.
type StoreManager interface {
	StoreLister
	RemoveStore(ctx context.Context, workspaceID, storeID int64) error
	UpdateStoreAccess(ctx context.Context, workspaceID, storeID int64, shopName string, scopes []string) error
	RecordStoreResult(ctx context.Context, storeID int64, status domain.StoreStatus, lastError string, at time.Time) error
}

// StoreConnector verifies credentials against Shopify and saves the
// connection: the same checks as `shopcard stores add`. creds carries the
// access token and, for OAuth, its kind, refresh token and expiries; a Dev
// Dashboard app's client ID and secret are exchanged for a token first.
type StoreConnector interface {
	ConnectStore(ctx context.Context, ws domain.Workspace, shopDomain string, creds domain.Store) (domain.Store, bool, error)
	ConnectDevDashboardApp(ctx context.Context, ws domain.Workspace, shopDomain, clientID string, secret domain.Secret) (domain.Store, bool, error)
}

// AccessChecker asks Shopify what a token opens.
type AccessChecker interface {
	CheckAccess(ctx context.Context, shop string, token domain.Secret) (shopify.ShopInfo, error)
}

// TokenKeeper hands out a store with a usable access token, renewing an
// expiring one first, and runs a call to Shopify with it, renewing once
// more if Shopify refuses a renewable store's token early.
type TokenKeeper interface {
	Fresh(ctx context.Context, store domain.Store) (domain.Store, error)
	Do(ctx context.Context, store domain.Store, call func(domain.Store) error) error
}

// CachePurger drops a store's cached answers.
type CachePurger interface {
	PurgeStore(storeID int64) int
}

// CustomerLookup finds a customer and their orders in one store, through
// the cache like the sidebar.
type CustomerLookup interface {
	LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error)
}

// FreshLookup asks Shopify, skipping the cache (and refreshing it).
type FreshLookup interface {
	LookupFresh(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error)
}

// OAuthApp is the operator's Shopify app, for connecting stores with OAuth.
type OAuthApp interface {
	AuthorizeURL(shop, redirectURI, state string, scopes []string) (string, error)
	VerifyCallback(q url.Values) (string, error)
	ExchangeCode(ctx context.Context, shop, code string) (shopify.Tokens, error)
}

// WebhookSettings keeps what the stores page shows and changes about a
// store's webhooks: a custom app's signing secret, and the subscriptions
// made for stores connected through the app.
type WebhookSettings interface {
	SetWebhookSecret(ctx context.Context, workspaceID, storeID int64, secret domain.Secret) error
	HasWebhookSecret(ctx context.Context, storeID int64) (bool, error)
	WebhookSubscriptions(ctx context.Context, storeID int64) ([]domain.WebhookSubscription, error)
	RecordWebhookVerified(ctx context.Context, storeIDs []int64, at time.Time) error
	SetWebhookRefusedSince(ctx context.Context, storeID int64, at time.Time) error
}

// SecretProver checks a webhook signing secret against the last delivery
// of a shop that no key verified; *webhooks.Receiver does.
type SecretProver interface {
	ProveSecret(shop string, secret domain.Secret) webhooks.Proof
}

// WebhookSubscriber asks Shopify to deliver a store's webhooks to shopcard
// and records each topic's outcome.
type WebhookSubscriber func(ctx context.Context, store domain.Store) ([]domain.WebhookSubscription, error)

// InstallationStore keeps a workspace's helpdesk installations. Every
// method but CreateInstallation takes the workspace, so another
// workspace's installation is never found, changed or removed;
// CreateInstallation saves the workspace the installation names.
type InstallationStore interface {
	InstallationsByWorkspace(ctx context.Context, workspaceID int64) ([]inbox.Installation, error)
	WorkspaceInstallation(ctx context.Context, workspaceID int64, id string) (inbox.Installation, error)
	CreateInstallation(ctx context.Context, inst inbox.Installation) (inbox.Installation, error)
	UpdateInstallationSettings(ctx context.Context, workspaceID int64, id string, s inbox.Settings) error
	RemoveInstallation(ctx context.Context, workspaceID int64, id string) error
}

// InstallationChecker tries an installation's stored credentials against
// its helpdesk's API (inbox/session), for the test button.
type InstallationChecker interface {
	Check(ctx context.Context, inst inbox.Installation) error
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

// AIToolStatuses says, tool by tool, whether a workspace's agents can use
// its AI actions (ai.Service).
type AIToolStatuses interface {
	Statuses(ctx context.Context, workspaceID int64) ([]ai.Status, error)
}

// AIToolSwitches switches a workspace's AI actions on and off.
type AIToolSwitches interface {
	SetAIToolEnabled(ctx context.Context, workspaceID int64, tool string, enabled bool) error
}

// APIKeyStore keeps a workspace's API keys, by hash only.
type APIKeyStore interface {
	ai.KeyMaker
	APIKeys(ctx context.Context, workspaceID int64) ([]domain.APIKey, error)
	RevokeAPIKey(ctx context.Context, workspaceID, keyID int64) (domain.APIKey, error)
}
