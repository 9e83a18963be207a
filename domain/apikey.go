package domain

import "time"

// APIKey is a key an AI agent uses to call a workspace's AI actions, over
// MCP or the JSON API. The key itself is shown once, when it is made; what
// is kept is its hash and Prefix, the first characters, which tell keys
// apart in a list.
type APIKey struct {
	ID          int64
	WorkspaceID int64
	Name        string
	Prefix      string
	CreatedAt   time.Time
	LastUsedAt  time.Time // zero: never used
	RevokedAt   time.Time // zero: still valid
}

// Revoked reports whether the key no longer opens anything.
func (k APIKey) Revoked() bool { return !k.RevokedAt.IsZero() }
