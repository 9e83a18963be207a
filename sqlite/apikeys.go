package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"shopcard/domain"
)

// maxKeyName bounds an API key's name, which admins type to tell keys
// apart.
const maxKeyName = 80

// CreateAPIKey records a new key of a workspace by its hash (the key
// itself is never stored) and the prefix that identifies it in lists.
func (d *DB) CreateAPIKey(ctx context.Context, workspaceID int64, name, keyHash, prefix string) (domain.APIKey, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API key"
	}
	if utf8.RuneCountInString(name) > maxKeyName {
		return domain.APIKey{}, domain.Errorf(domain.KindInvalid, "Name the key in %d characters or fewer.", maxKeyName)
	}
	now := d.now()
	res, err := d.db.ExecContext(ctx, `INSERT INTO api_keys (workspace_id, name, key_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)`,
		workspaceID, name, keyHash, prefix, formatTime(now))
	if err != nil {
		return domain.APIKey{}, fmt.Errorf("create API key in workspace %d: %w", workspaceID, err)
	}
	id, _ := res.LastInsertId()
	return domain.APIKey{ID: id, WorkspaceID: workspaceID, Name: name, Prefix: prefix, CreatedAt: now}, nil
}

const apiKeyColumns = `id, workspace_id, name, prefix, created_at, last_used_at, revoked_at`

func scanAPIKey(row rowScanner) (domain.APIKey, error) {
	var (
		k       domain.APIKey
		created string
		used    sql.NullString
		revoked sql.NullString
	)
	if err := row.Scan(&k.ID, &k.WorkspaceID, &k.Name, &k.Prefix, &created, &used, &revoked); err != nil {
		return domain.APIKey{}, err
	}
	k.CreatedAt, k.LastUsedAt, k.RevokedAt = parseTime(nullString(created)), parseTime(used), parseTime(revoked)
	return k, nil
}

// APIKeys lists a workspace's keys, revoked ones included, newest first.
func (d *DB) APIKeys(ctx context.Context, workspaceID int64) ([]domain.APIKey, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE workspace_id = ? ORDER BY id DESC`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("API keys of workspace %d: %w", workspaceID, err)
	}
	defer rows.Close()
	var out []domain.APIKey
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, fmt.Errorf("API keys of workspace %d: %w", workspaceID, err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("API keys of workspace %d: %w", workspaceID, err)
	}
	return out, nil
}

// APIKeyByHash finds the key with this hash, unless it was revoked: a
// revoked or unknown key is "not found" alike.
func (d *DB) APIKeyByHash(ctx context.Context, keyHash string) (domain.APIKey, error) {
	k, err := scanAPIKey(d.db.QueryRowContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL`, keyHash))
	if err != nil {
		// The hash stays out of the error: it names a live key.
		return domain.APIKey{}, fmt.Errorf("API key by hash: %w", notFound(err, "The API key"))
	}
	return k, nil
}

// RevokeAPIKey ends a key of the workspace at once. A key of another
// workspace is not found; revoking a revoked key changes nothing.
func (d *DB) RevokeAPIKey(ctx context.Context, workspaceID, keyID int64) (domain.APIKey, error) {
	if _, err := d.db.ExecContext(ctx, `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND workspace_id = ? AND revoked_at IS NULL`,
		d.nowText(), keyID, workspaceID); err != nil {
		return domain.APIKey{}, fmt.Errorf("revoke API key %d: %w", keyID, err)
	}
	k, err := scanAPIKey(d.db.QueryRowContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE id = ? AND workspace_id = ?`, keyID, workspaceID))
	if err != nil {
		return domain.APIKey{}, fmt.Errorf("revoke API key %d: %w", keyID, notFound(err, "The API key"))
	}
	return k, nil
}

// TouchAPIKey records that a key was used at at.
func (d *DB) TouchAPIKey(ctx context.Context, keyID int64, at time.Time) error {
	if _, err := d.db.ExecContext(ctx, `UPDATE api_keys SET last_used_at = ? WHERE id = ?`, formatTime(at), keyID); err != nil {
		return fmt.Errorf("touch API key %d: %w", keyID, err)
	}
	return nil
}

// AIToolSettings returns the tools a workspace switched on or off, by
// name; a tool it never switched is absent (and on).
func (d *DB) AIToolSettings(ctx context.Context, workspaceID int64) (map[string]bool, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT tool, enabled FROM ai_tool_settings WHERE workspace_id = ?`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("AI tool settings of workspace %d: %w", workspaceID, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var tool string
		var enabled bool
		if err := rows.Scan(&tool, &enabled); err != nil {
			return nil, fmt.Errorf("AI tool settings of workspace %d: %w", workspaceID, err)
		}
		out[tool] = enabled
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("AI tool settings of workspace %d: %w", workspaceID, err)
	}
	return out, nil
}

// SetAIToolEnabled switches one of a workspace's tools on or off. Callers
// check the tool's name.
func (d *DB) SetAIToolEnabled(ctx context.Context, workspaceID int64, tool string, enabled bool) error {
	if _, err := d.db.ExecContext(ctx, `INSERT INTO ai_tool_settings (workspace_id, tool, enabled, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (workspace_id, tool) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`,
		workspaceID, tool, enabled, d.nowText()); err != nil {
		return fmt.Errorf("set AI tool %s of workspace %d: %w", tool, workspaceID, err)
	}
	return nil
}
