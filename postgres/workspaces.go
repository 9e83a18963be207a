package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"shopcard/domain"
	"shopcard/storage"
)

// CreateWorkspace creates a workspace with a new embed secret.
func (d *DB) CreateWorkspace(ctx context.Context, name string) (domain.Workspace, error) {
	if err := storage.ValidateWorkspaceName(name); err != nil {
		return domain.Workspace{}, fmt.Errorf("create workspace: %w", err)
	}
	secret, err := storage.NewEmbedSecret()
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("create workspace %q: %w", name, err)
	}
	sealed, err := d.box.Seal(storage.EmbedSecretContext(name), secret.Reveal())
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("create workspace %q: seal embed secret: %w", name, err)
	}
	now := d.now().UTC()
	var id int64
	err = d.pool.QueryRow(ctx, `INSERT INTO workspaces (name, embed_secret, created_at, secret_rotated_at) VALUES ($1, $2, $3, $3) RETURNING id`,
		name, sealed, now).Scan(&id)
	if err != nil {
		if isUniqueViolation(err) {
			return domain.Workspace{}, fmt.Errorf("create workspace %q: %w", name, conflict("A workspace named %q already exists.", name))
		}
		return domain.Workspace{}, fmt.Errorf("create workspace %q: insert: %w", name, err)
	}
	d.changed()
	return domain.Workspace{ID: id, Name: name, EmbedSecret: secret, CreatedAt: now, SecretRotatedAt: now}, nil
}

const workspaceColumns = `id, name, embed_secret, created_at, previous_embed_secret, previous_secret_expires_at, secret_rotated_at, frame_ancestors, cache_ttl_seconds`

// WorkspaceByName finds a workspace by its name.
func (d *DB) WorkspaceByName(ctx context.Context, name string) (domain.Workspace, error) {
	if hasNUL(name) {
		return domain.Workspace{}, fmt.Errorf("workspace %q: %w", name, storage.NotFound(fmt.Sprintf("Workspace %q", name)))
	}
	w, err := d.scanWorkspace(d.pool.QueryRow(ctx, `SELECT `+workspaceColumns+` FROM workspaces WHERE name = $1`, name), fmt.Sprintf("Workspace %q", name))
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("workspace %q: %w", name, err)
	}
	return w, nil
}

// WorkspaceByID finds a workspace by its ID.
func (d *DB) WorkspaceByID(ctx context.Context, id int64) (domain.Workspace, error) {
	w, err := d.scanWorkspace(d.pool.QueryRow(ctx, `SELECT `+workspaceColumns+` FROM workspaces WHERE id = $1`, id), "The workspace")
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("workspace %d: %w", id, err)
	}
	return w, nil
}

func (d *DB) scanWorkspace(row pgx.Row, what string) (domain.Workspace, error) {
	var (
		w                          domain.Workspace
		sealed, sealedPrevious     string
		created                    time.Time
		previousExpires, rotatedAt *time.Time
		ancestors                  string
		ttlSeconds                 int64
	)
	if err := row.Scan(&w.ID, &w.Name, &sealed, &created, &sealedPrevious, &previousExpires, &rotatedAt, &ancestors, &ttlSeconds); err != nil {
		return domain.Workspace{}, notFound(err, what)
	}
	secret, err := d.box.Open(storage.EmbedSecretContext(w.Name), sealed)
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("workspace %s embed secret: %w", w.Name, err)
	}
	w.EmbedSecret = domain.NewSecret(secret)
	previous, err := d.box.Open(storage.PreviousSecretContext(w.Name), sealedPrevious)
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("workspace %s previous embed secret: %w", w.Name, err)
	}
	w.PreviousEmbedSecret = domain.NewSecret(previous)
	w.PreviousSecretExpiresAt = utc(previousExpires)
	w.CreatedAt = created.UTC()
	w.SecretRotatedAt = utc(rotatedAt)
	w.FrameAncestors = strings.Fields(ancestors)
	w.CacheTTL = time.Duration(ttlSeconds) * time.Second
	return w, nil
}

// RotateEmbedSecret gives a workspace a new embed secret. The old one keeps
// verifying tokens for grace (zero ends it at once). It returns the
// workspace with its new secret.
func (d *DB) RotateEmbedSecret(ctx context.Context, workspaceID int64, grace time.Duration) (domain.Workspace, error) {
	w, _, err := d.RotateEmbedSecretIf(ctx, workspaceID, domain.Secret{}, grace)
	return w, err
}

// RotateEmbedSecretIf rotates a workspace's embed secret only if its
// current secret is still replacing (any secret, when replacing is zero).
// The workspace's row is locked (SELECT … FOR UPDATE) from the read to the
// commit, so two rotations at once, on any replicas, take turns: the
// second sees the first's secret, and when it was replacing the one the
// first replaced, changes nothing and returns the workspace with the
// first's secret (rotated false).
func (d *DB) RotateEmbedSecretIf(ctx context.Context, workspaceID int64, replacing domain.Secret, grace time.Duration) (w domain.Workspace, rotated bool, err error) {
	what := fmt.Sprintf("rotate embed secret of workspace %d", workspaceID)
	err = d.inTx(ctx, what, func(tx pgx.Tx) error {
		rotated = false
		current, err := d.scanWorkspace(tx.QueryRow(ctx, `SELECT `+workspaceColumns+` FROM workspaces WHERE id = $1 FOR UPDATE`, workspaceID), "The workspace")
		if err != nil {
			return fmt.Errorf("rotate embed secret: workspace %d: %w", workspaceID, err)
		}
		if !replacing.IsZero() && current.EmbedSecret.Reveal() != replacing.Reveal() {
			w = current
			return nil
		}
		secret, err := storage.NewEmbedSecret()
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		sealed, err := d.box.Seal(storage.EmbedSecretContext(current.Name), secret.Reveal())
		if err != nil {
			return fmt.Errorf("%s: seal: %w", what, err)
		}
		now := d.now().UTC()
		sealedPrevious, previousExpires := "", (*time.Time)(nil)
		if grace > 0 {
			if sealedPrevious, err = d.box.Seal(storage.PreviousSecretContext(current.Name), current.EmbedSecret.Reveal()); err != nil {
				return fmt.Errorf("%s: seal previous: %w", what, err)
			}
			previousExpires = optional(now.Add(grace))
		}
		if _, err := tx.Exec(ctx, `UPDATE workspaces SET embed_secret = $1, previous_embed_secret = $2, previous_secret_expires_at = $3, secret_rotated_at = $4 WHERE id = $5`,
			sealed, sealedPrevious, previousExpires, now, workspaceID); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if w, err = d.scanWorkspace(tx.QueryRow(ctx, `SELECT `+workspaceColumns+` FROM workspaces WHERE id = $1`, workspaceID), "The workspace"); err != nil {
			return fmt.Errorf("rotate embed secret: read back: %w", err)
		}
		rotated = true
		return nil
	})
	if err != nil {
		return domain.Workspace{}, false, err
	}
	if rotated {
		d.changed()
	}
	return w, rotated, nil
}

// UpdateWorkspaceSettings saves a workspace's embedding settings: the
// origins allowed to frame its sidebar (none means the server's default)
// and its cache TTL (zero means the server's default).
func (d *DB) UpdateWorkspaceSettings(ctx context.Context, workspaceID int64, frameAncestors []string, cacheTTL time.Duration) error {
	tag, err := d.pool.Exec(ctx, `UPDATE workspaces SET frame_ancestors = $1, cache_ttl_seconds = $2 WHERE id = $3`,
		strings.Join(frameAncestors, " "), int64(cacheTTL/time.Second), workspaceID)
	if err != nil {
		return fmt.Errorf("update settings of workspace %d: %w", workspaceID, err)
	}
	d.changed()
	if err := mustAffect(tag, "The workspace"); err != nil {
		return fmt.Errorf("update settings of workspace %d: %w", workspaceID, err)
	}
	return nil
}

// Workspaces lists every workspace by name.
func (d *DB) Workspaces(ctx context.Context) ([]domain.Workspace, error) {
	rows, err := d.pool.Query(ctx, `SELECT `+workspaceColumns+` FROM workspaces ORDER BY name COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("list workspaces: %w", err)
	}
	defer rows.Close()
	var out []domain.Workspace
	for rows.Next() {
		w, err := d.scanWorkspace(rows, "The workspace")
		if err != nil {
			return nil, fmt.Errorf("list workspaces: %w", err)
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list workspaces: %w", err)
	}
	return out, nil
}
