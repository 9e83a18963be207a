package domain

import "time"

// Workspace is one team's account: its stores, its embed secret and its
// embedding settings.
type Workspace struct {
	ID          int64
	Name        string
	EmbedSecret Secret // HS256 key for embed tokens
	CreatedAt   time.Time
	// PreviousEmbedSecret still verifies tokens until
	// PreviousSecretExpiresAt, so a rotation does not break inboxes that
	// have not picked up the new secret yet.
	PreviousEmbedSecret     Secret
	PreviousSecretExpiresAt time.Time
	// SecretRotatedAt is when the current embed secret was made.
	SecretRotatedAt time.Time
	// FrameAncestors are the origins allowed to embed this workspace's
	// sidebar; empty means the server's default (SHOPCARD_FRAME_ANCESTORS).
	FrameAncestors []string
	// CacheTTL, when positive, is how long this workspace's Shopify answers
	// are cached; zero means the server's default (SHOPCARD_CACHE_TTL).
	CacheTTL time.Duration
}

// VerifyingSecrets returns the secrets that verify embed tokens at now: the
// current one and, during a rotation's grace period, the previous one.
func (w Workspace) VerifyingSecrets(now time.Time) []Secret {
	out := []Secret{w.EmbedSecret}
	if !w.PreviousEmbedSecret.IsZero() && now.Before(w.PreviousSecretExpiresAt) {
		out = append(out, w.PreviousEmbedSecret)
	}
	return out
}

// StoreStatus is the health of a store connection as last observed.
type StoreStatus string

// The statuses a connection can be in. Only StoreHealthy stores are queried
// as usual; the others still get a section that says what is wrong.
const (
	StoreHealthy        StoreStatus = "healthy"
	StoreNeedsReconnect StoreStatus = "needs_reconnect" // Shopify said 401
	StoreFrozen         StoreStatus = "frozen"          // Shopify said 402
	StoreLocked         StoreStatus = "locked"          // Shopify said 423
	StoreDisconnected   StoreStatus = "disconnected"    // app uninstalled
)

// TokenKind says how a store's access token was obtained, which decides
// whether it expires.
type TokenKind string

// The kinds of access token.
const (
	// TokenCustomApp is an Admin API access token pasted by an admin, from
	// a custom app made in the store's admin (which Shopify stopped
	// letting merchants create on 1 January 2026); it does not expire.
	TokenCustomApp TokenKind = "custom_app"
	// TokenOAuth came from shopcard's own app through OAuth: it expires
	// after an hour and is renewed with a rotating refresh token.
	TokenOAuth TokenKind = "oauth"
	// TokenClientCredentials came from the merchant's Dev Dashboard app
	// through the client credentials grant: it expires after a day and is
	// renewed with the app's client ID and secret, which the store keeps.
	TokenClientCredentials TokenKind = "client_credentials"
)

// Store is a connection from a workspace to one Shopify store.
type Store struct {
	ID          int64
	WorkspaceID int64
	Domain      string // always the *.myshopify.com domain, lowercased
	ShopName    string
	AccessToken Secret
	Scopes      []string
	Status      StoreStatus
	LastOKAt    time.Time
	LastError   string    // plain words, safe to show an admin
	LastErrorAt time.Time // when LastError happened; zero when there is none
	CreatedAt   time.Time
	// CacheTTL, when positive, is how long answers from this store may be
	// served from the cache; it comes from the workspace's settings and
	// overrides the server's default.
	CacheTTL time.Duration

	// TokenKind is TokenCustomApp unless the store was connected with
	// OAuth or a Dev Dashboard app; then the fields below say when the
	// tokens run out, and how they are renewed.
	TokenKind             TokenKind
	RefreshToken          Secret
	AccessTokenExpiresAt  time.Time // zero: never
	RefreshTokenExpiresAt time.Time // zero: never
	// TokenRenewedAt is when the access token was last renewed; zero
	// until the first renewal.
	TokenRenewedAt time.Time
	// ClientID and ClientSecret are a Dev Dashboard app's credentials
	// (TokenClientCredentials): they get the store its access tokens, and
	// the secret signs the store's webhooks.
	ClientID     string
	ClientSecret Secret

	// WebhookVerifiedAt is when a webhook from the store last verified;
	// WebhookRefusedSince is the first delivery for the shop refused
	// since then for a signature no key verifies. Both zero: no delivery
	// yet.
	WebhookVerifiedAt   time.Time
	WebhookRefusedSince time.Time
}

// Expiring reports whether the store's access token runs out and must be
// renewed before it does.
func (s Store) Expiring() bool {
	return (s.TokenKind == TokenOAuth || s.TokenKind == TokenClientCredentials) && !s.AccessTokenExpiresAt.IsZero()
}

// Renewable reports whether shopcard can get the store a new access token
// by itself: an expiring OAuth token, or any Dev Dashboard app's, whose
// client credentials get a new one whenever asked. A renewable store that
// Shopify refuses early is renewed once and tried again.
func (s Store) Renewable() bool {
	return s.Expiring() || (s.TokenKind == TokenClientCredentials && !s.ClientSecret.IsZero())
}

// Handle is the part of the domain before .myshopify.com, which Shopify
// Admin uses in its URLs.
func (s Store) Handle() string { return ShopHandle(s.Domain) }

// ShopHandle returns the part of a *.myshopify.com domain before the suffix.
func ShopHandle(domain string) string {
	const suffix = ".myshopify.com"
	if len(domain) > len(suffix) && domain[len(domain)-len(suffix):] == suffix {
		return domain[:len(domain)-len(suffix)]
	}
	return domain
}

// Admin is a person who manages a workspace in the admin console.
type Admin struct {
	ID          int64
	WorkspaceID int64
	Email       string // lowercased
	// PasswordHash is the argon2id hash in PHC form; never shown.
	PasswordHash string
	CreatedAt    time.Time
}
