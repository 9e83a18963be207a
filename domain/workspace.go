package domain

import "time"

// Workspace is one team's account: its stores and its embed secret.
type Workspace struct {
	ID          int64
	Name        string
	EmbedSecret Secret // HS256 key for embed tokens
	CreatedAt   time.Time
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
	LastError   string // plain words, safe to show an admin
	CreatedAt   time.Time
	// CacheTTL, when positive, is how long answers from this store may be
	// served from the cache; it comes from the workspace's settings and
	// overrides the server's default.
	CacheTTL time.Duration
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
