package storage

import (
	"errors"
	"strconv"
)

// The contexts secrets are sealed under (atrest.Box binds each sealed
// value to one): a value copied into another row, another workspace's
// store or another column does not open. Both engines seal under exactly
// these, so `shopcard db copy` moves sealed values as they are and the
// same key opens them on either engine. Never change one: every value
// sealed under it would stop opening.

// EmbedSecretContext binds a workspace's embed secret to the workspace.
func EmbedSecretContext(workspace string) string { return "workspace:" + workspace + ":embed_secret" }

// PreviousSecretContext binds the embed secret a rotation keeps for its
// grace period.
func PreviousSecretContext(workspace string) string {
	return "workspace:" + workspace + ":previous_embed_secret"
}

func storeContext(storeDomain string, workspaceID int64, what string) string {
	return "store:" + strconv.FormatInt(workspaceID, 10) + ":" + storeDomain + ":" + what
}

// AccessTokenContext binds a store's access token to its connection.
func AccessTokenContext(storeDomain string, workspaceID int64) string {
	return storeContext(storeDomain, workspaceID, "access_token")
}

// RefreshTokenContext binds an OAuth store's refresh token.
func RefreshTokenContext(storeDomain string, workspaceID int64) string {
	return storeContext(storeDomain, workspaceID, "refresh_token")
}

// ClientSecretContext binds a Dev Dashboard app's client secret.
func ClientSecretContext(storeDomain string, workspaceID int64) string {
	return storeContext(storeDomain, workspaceID, "client_secret")
}

// WebhookSecretContext binds a store's webhook signing secret to its ID,
// which is never reused.
func WebhookSecretContext(storeID int64) string {
	return "store:" + strconv.FormatInt(storeID, 10) + ":webhook_secret"
}

// InstallationContext binds a helpdesk installation's settings to its ID.
func InstallationContext(id string) string { return "inbox_installation:" + id + ":settings" }

// The key check value: a known text sealed with the database's key on its
// first open, which every later open must be able to open.
const (
	KeyCheckContext = "shopcard:key_check"
	KeyCheckText    = "shopcard key check v1"
)

// ErrWrongKey means the database's secrets were sealed with another
// encryption key than the one it was opened with.
var ErrWrongKey = errors.New("its secrets were sealed with a different encryption key")
