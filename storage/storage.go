// Package storage is what shopcard keeps in a database, whichever engine
// holds it: SQLite (package sqlite, one process, the default) or
// PostgreSQL (package postgres, any number of replicas). DB is the one
// contract both engines implement, method for method, with the same
// behaviour and the same errors; the contract tests in this package run
// every behaviour against both. Consumers still declare the small
// interfaces they use (handlers/admin/deps.go, webhooks.Store, …); DB is
// what the composition root (internal/app) holds.
//
// What both engines share lives here too: the contexts secrets are sealed
// under (so a database copied from one engine to the other opens with the
// same key and nothing is sealed again), the validation of names, and the
// sealed form of helpdesk settings.
package storage

import (
	"context"
	"time"

	"shopcard/domain"
	"shopcard/inbox"
)

// DB is a shopcard database: workspaces and their embed secrets, store
// connections and their credentials, admins and sessions, OAuth states,
// webhook state, API keys, AI action switches and helpdesk installations.
// Secrets are sealed at rest and opened when read; nothing outside the
// engines sees ciphertext. Errors a person can act on are domain errors
// (not found, conflict, invalid), wrapped with the operation and its key.
type DB interface {
	Workspaces
	Stores
	Accounts
	Webhooks
	APIKeys
	Installations

	// Ping reports whether the database answers and its secrets open with
	// its key; /readyz asks it.
	Ping(ctx context.Context) error
	Close() error
}

// Workspaces keeps workspaces, their embed secrets and settings.
type Workspaces interface {
	CreateWorkspace(ctx context.Context, name string) (domain.Workspace, error)
	WorkspaceByName(ctx context.Context, name string) (domain.Workspace, error)
	WorkspaceByID(ctx context.Context, id int64) (domain.Workspace, error)
	Workspaces(ctx context.Context) ([]domain.Workspace, error)
	RotateEmbedSecret(ctx context.Context, workspaceID int64, grace time.Duration) (domain.Workspace, error)
	RotateEmbedSecretIf(ctx context.Context, workspaceID int64, replacing domain.Secret, grace time.Duration) (domain.Workspace, bool, error)
	UpdateWorkspaceSettings(ctx context.Context, workspaceID int64, frameAncestors []string, cacheTTL time.Duration) error
}

// Stores keeps store connections, their credentials and their health.
type Stores interface {
	SaveStore(ctx context.Context, s domain.Store) (domain.Store, bool, error)
	SaveStoreTokens(ctx context.Context, s domain.Store) error
	UpdateStoreAccess(ctx context.Context, workspaceID, storeID int64, shopName string, scopes []string) error
	StoresByWorkspace(ctx context.Context, workspaceID int64) ([]domain.Store, error)
	StoreByID(ctx context.Context, workspaceID, storeID int64) (domain.Store, error)
	StoreByDomain(ctx context.Context, workspaceID int64, storeDomain string) (domain.Store, error)
	StoresByShop(ctx context.Context, shopDomain string) ([]domain.Store, error)
	RemoveStore(ctx context.Context, workspaceID, storeID int64) error
	RecordStoreResult(ctx context.Context, storeID int64, status domain.StoreStatus, lastError string, at time.Time) error
	DisconnectStores(ctx context.Context, ids []int64, message string) error
	UpdateStoreScopes(ctx context.Context, ids []int64, scopes []string) error
	DeleteStores(ctx context.Context, ids []int64) error
	StoreStatusCounts(ctx context.Context) (map[string]int, error)
}

// Accounts keeps admins, their sessions, the sessions' one-time notices
// and the state nonces of OAuth flows.
type Accounts interface {
	CreateAdmin(ctx context.Context, workspaceID int64, email, passwordHash string) (domain.Admin, error)
	AdminByEmail(ctx context.Context, email string) (domain.Admin, error)
	SetAdminPassword(ctx context.Context, adminID int64, passwordHash string) error
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

// Webhooks keeps what shopcard knows about stores' webhooks: signing
// secrets, subscriptions, whether deliveries verify, and the deliveries
// already claimed.
type Webhooks interface {
	SetWebhookSecret(ctx context.Context, workspaceID, storeID int64, secret domain.Secret) error
	HasWebhookSecret(ctx context.Context, storeID int64) (bool, error)
	WebhookKeysForShop(ctx context.Context, shopDomain string) ([]domain.WebhookKey, error)
	RecordWebhookVerified(ctx context.Context, storeIDs []int64, at time.Time) error
	RecordWebhookRefused(ctx context.Context, shopDomain string, at time.Time) (int, error)
	SetWebhookRefusedSince(ctx context.Context, storeID int64, at time.Time) error
	ClaimWebhookDelivery(ctx context.Context, c domain.WebhookClaim) (bool, error)
	ReleaseWebhookDelivery(ctx context.Context, webhookID string) error
	RecordWebhookSubscription(ctx context.Context, s domain.WebhookSubscription) error
	WebhookSubscriptions(ctx context.Context, storeID int64) ([]domain.WebhookSubscription, error)
}

// APIKeys keeps the AI actions' keys, by hash only, and their switches.
type APIKeys interface {
	CreateAPIKey(ctx context.Context, workspaceID int64, name, keyHash, prefix string) (domain.APIKey, error)
	APIKeys(ctx context.Context, workspaceID int64) ([]domain.APIKey, error)
	APIKeyByHash(ctx context.Context, keyHash string) (domain.APIKey, error)
	RevokeAPIKey(ctx context.Context, workspaceID, keyID int64) (domain.APIKey, error)
	TouchAPIKey(ctx context.Context, keyID int64, at time.Time) error
	AIToolSettings(ctx context.Context, workspaceID int64) (map[string]bool, error)
	SetAIToolEnabled(ctx context.Context, workspaceID int64, tool string, enabled bool) error
}

// Installations keeps helpdesk installations, their settings sealed.
type Installations interface {
	CreateInstallation(ctx context.Context, inst inbox.Installation) (inbox.Installation, error)
	UpdateInstallationSettings(ctx context.Context, workspaceID int64, id string, s inbox.Settings) error
	InstallationByID(ctx context.Context, id string) (inbox.Installation, error)
	WorkspaceInstallation(ctx context.Context, workspaceID int64, id string) (inbox.Installation, error)
	InstallationsByWorkspace(ctx context.Context, workspaceID int64) ([]inbox.Installation, error)
	RemoveInstallation(ctx context.Context, workspaceID int64, id string) error
}

// Reads are the sidebar's hot reads, which each engine answers from
// memory while nothing changed: sqlite.ReadCache asks SQLite's
// data_version, postgres.ReadCache listens for changes.
type Reads interface {
	WorkspaceByName(ctx context.Context, name string) (domain.Workspace, error)
	StoreByID(ctx context.Context, workspaceID, storeID int64) (domain.Store, error)
	StoresByWorkspace(ctx context.Context, workspaceID int64) ([]domain.Store, error)
}
