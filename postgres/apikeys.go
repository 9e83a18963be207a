package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"shopcard/domain"
	"shopcard/storage"
)

// CreateAPIKey records a new key of a workspace by its hash (the key
// itself is never stored) and the prefix that identifies it in lists.
func (d *DB) CreateAPIKey(ctx context.Context, workspaceID int64, name, keyHash, prefix string) (domain.APIKey, error) {
	name, err := storage.APIKeyName(name)
	if err != nil {
		return domain.APIKey{}, err
	}
	now := d.now().UTC()
	var id int64
	if err := d.pool.QueryRow(ctx, `INSERT INTO api_keys (workspace_id, name, key_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		workspaceID, name, keyHash, prefix, now).Scan(&id); err != nil {
		return domain.APIKey{}, fmt.Errorf("create API key in workspace %d: %w", workspaceID, err)
	}
	return domain.APIKey{ID: id, WorkspaceID: workspaceID, Name: name, Prefix: prefix, CreatedAt: now}, nil
}

const apiKeyColumns = `id, workspace_id, name, prefix, created_at, last_used_at, revoked_at`

func scanAPIKey(row pgx.Row) (domain.APIKey, error) {
	var (
		k             domain.APIKey
		created       time.Time
		used, revoked *time.Time
	)
	if err := row.Scan(&k.ID, &k.WorkspaceID, &k.Name, &k.Prefix, &created, &used, &revoked); err != nil {
		return domain.APIKey{}, err
	}
	k.CreatedAt, k.LastUsedAt, k.RevokedAt = created.UTC(), utc(used), utc(revoked)
	return k, nil
}

// APIKeys lists a workspace's keys, revoked ones included, newest first.
func (d *DB) APIKeys(ctx context.Context, workspaceID int64) ([]domain.APIKey, error) {
	rows, err := d.pool.Query(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE workspace_id = $1 ORDER BY id DESC`, workspaceID)
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
// revoked or unknown key is "not found" alike. Keys are read from the
// database on every request, so a revocation on one replica holds on all
// at once.
func (d *DB) APIKeyByHash(ctx context.Context, keyHash string) (domain.APIKey, error) {
	k, err := scanAPIKey(d.pool.QueryRow(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`, keyHash))
	if err != nil {
		// The hash stays out of the error: it names a live key.
		return domain.APIKey{}, fmt.Errorf("API key by hash: %w", notFound(err, "The API key"))
	}
	return k, nil
}

// RevokeAPIKey ends a key of the workspace at once. A key of another
// workspace is not found; revoking a revoked key changes nothing.
func (d *DB) RevokeAPIKey(ctx context.Context, workspaceID, keyID int64) (domain.APIKey, error) {
	if _, err := d.pool.Exec(ctx, `UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND workspace_id = $3 AND revoked_at IS NULL`,
		d.now().UTC(), keyID, workspaceID); err != nil {
		return domain.APIKey{}, fmt.Errorf("revoke API key %d: %w", keyID, err)
	}
	k, err := scanAPIKey(d.pool.QueryRow(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE id = $1 AND workspace_id = $2`, keyID, workspaceID))
	if err != nil {
		return domain.APIKey{}, fmt.Errorf("revoke API key %d: %w", keyID, notFound(err, "The API key"))
	}
	return k, nil
}

// TouchAPIKey records that a key was used at at.
func (d *DB) TouchAPIKey(ctx context.Context, keyID int64, at time.Time) error {
	if _, err := d.pool.Exec(ctx, `UPDATE api_keys SET last_used_at = $1 WHERE id = $2`, at.UTC(), keyID); err != nil {
		return fmt.Errorf("touch API key %d: %w", keyID, err)
	}
	return nil
}

// AIToolSettings returns the tools a workspace switched on or off, by
// name; a tool it never switched is absent (and on).
func (d *DB) AIToolSettings(ctx context.Context, workspaceID int64) (map[string]bool, error) {
	rows, err := d.pool.Query(ctx, `SELECT tool, enabled FROM ai_tool_settings WHERE workspace_id = $1`, workspaceID)
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
	if _, err := d.pool.Exec(ctx, `INSERT INTO ai_tool_settings (workspace_id, tool, enabled, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (workspace_id, tool) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`,
		workspaceID, tool, enabled, d.now().UTC()); err != nil {
		return fmt.Errorf("set AI tool %s of workspace %d: %w", tool, workspaceID, err)
	}
	return nil
}
