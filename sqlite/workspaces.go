package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"time"

	"shopcard/domain"
)

var workspaceName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ValidateWorkspaceName checks a workspace name: lowercase letters, digits
// and hyphens, as it appears in embed tokens and URLs.
func ValidateWorkspaceName(name string) error {
	if !workspaceName.MatchString(name) {
		return domain.Errorf(domain.KindInvalid, "Workspace names use lowercase letters, digits and hyphens (up to 63), starting with a letter or digit; %q does not.", name)
	}
	return nil
}

// NewEmbedSecret returns a fresh random embed secret, printable.
func NewEmbedSecret() (domain.Secret, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return domain.Secret{}, fmt.Errorf("new embed secret: %w", err)
	}
	return domain.NewSecret(base64.RawURLEncoding.EncodeToString(b)), nil
}

func embedSecretContext(name string) string { return "workspace:" + name + ":embed_secret" }

// CreateWorkspace creates a workspace with a new embed secret.
func (d *DB) CreateWorkspace(ctx context.Context, name string) (domain.Workspace, error) {
	if err := ValidateWorkspaceName(name); err != nil {
		return domain.Workspace{}, fmt.Errorf("create workspace: %w", err)
	}
	secret, err := NewEmbedSecret()
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("create workspace %q: %w", name, err)
	}
	sealed, err := d.box.Seal(embedSecretContext(name), secret.Reveal())
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("create workspace %q: seal embed secret: %w", name, err)
	}
	now := d.now()
	res, err := d.db.ExecContext(ctx, `INSERT INTO workspaces (name, embed_secret, created_at, secret_rotated_at) VALUES (?, ?, ?, ?)`, name, sealed, formatTime(now), formatTime(now))
	if err != nil {
		if isUniqueViolation(err) {
			return domain.Workspace{}, fmt.Errorf("create workspace %q: %w", name, domain.Errorf(domain.KindConflict, "A workspace named %q already exists.", name))
		}
		return domain.Workspace{}, fmt.Errorf("create workspace %q: insert: %w", name, err)
	}
	id, _ := res.LastInsertId()
	return domain.Workspace{ID: id, Name: name, EmbedSecret: secret, CreatedAt: now, SecretRotatedAt: now}, nil
}

const workspaceColumns = `id, name, embed_secret, created_at, previous_embed_secret, previous_secret_expires_at, secret_rotated_at, frame_ancestors, cache_ttl_seconds`

// WorkspaceByName finds a workspace by its name.
func (d *DB) WorkspaceByName(ctx context.Context, name string) (domain.Workspace, error) {
	w, err := d.scanWorkspace(d.db.QueryRowContext(ctx, `SELECT `+workspaceColumns+` FROM workspaces WHERE name = ?`, name), fmt.Sprintf("Workspace %q", name))
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("workspace %q: %w", name, err)
	}
	return w, nil
}

// WorkspaceByID finds a workspace by its ID.
func (d *DB) WorkspaceByID(ctx context.Context, id int64) (domain.Workspace, error) {
	w, err := d.scanWorkspace(d.db.QueryRowContext(ctx, `SELECT `+workspaceColumns+` FROM workspaces WHERE id = ?`, id), "The workspace")
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("workspace %d: %w", id, err)
	}
	return w, nil
}

type rowScanner interface{ Scan(...any) error }

func (d *DB) scanWorkspace(row rowScanner, what string) (domain.Workspace, error) {
	var (
		w                          domain.Workspace
		sealed, sealedPrevious     string
		created                    string
		previousExpires, rotatedAt sql.NullString
		ancestors                  string
		ttlSeconds                 int64
	)
	if err := row.Scan(&w.ID, &w.Name, &sealed, &created, &sealedPrevious, &previousExpires, &rotatedAt, &ancestors, &ttlSeconds); err != nil {
		return domain.Workspace{}, notFound(err, what)
	}
	secret, err := d.box.Open(embedSecretContext(w.Name), sealed)
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("workspace %s embed secret: %w", w.Name, err)
	}
	w.EmbedSecret = domain.NewSecret(secret)
	previous, err := d.box.Open(previousSecretContext(w.Name), sealedPrevious)
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("workspace %s previous embed secret: %w", w.Name, err)
	}
	w.PreviousEmbedSecret = domain.NewSecret(previous)
	w.PreviousSecretExpiresAt = parseTime(previousExpires)
	w.CreatedAt = parseTime(nullString(created))
	w.SecretRotatedAt = parseTime(rotatedAt)
	w.FrameAncestors = strings.Fields(ancestors)
	w.CacheTTL = time.Duration(ttlSeconds) * time.Second
	return w, nil
}

func previousSecretContext(name string) string { return "workspace:" + name + ":previous_embed_secret" }

// RotateEmbedSecret gives a workspace a new embed secret. The old one keeps
// verifying tokens for grace (zero ends it at once), so inboxes can switch
// over without a gap. It returns the workspace with its new secret.
func (d *DB) RotateEmbedSecret(ctx context.Context, workspaceID int64, grace time.Duration) (domain.Workspace, error) {
	w, _, err := d.RotateEmbedSecretIf(ctx, workspaceID, domain.Secret{}, grace)
	return w, err
}

// RotateEmbedSecretIf rotates a workspace's embed secret, as
// RotateEmbedSecret does, only if its current secret is still replacing
// (any secret, when replacing is zero). The secret read, the new one and the
// previous one kept for the grace period are one immediate transaction, so
// two rotations at once never both keep the same previous secret (losing
// the first one's secret) and the one that comes second sees the first's
// secret. When another rotation replaced replacing first, nothing changes
// and rotated is false: the workspace returned holds the secret that
// rotation made, which an admin can be shown, since it verifies.
func (d *DB) RotateEmbedSecretIf(ctx context.Context, workspaceID int64, replacing domain.Secret, grace time.Duration) (w domain.Workspace, rotated bool, err error) {
	what := fmt.Sprintf("rotate embed secret of workspace %d", workspaceID)
	err = d.inTx(ctx, what, func(tx *sql.Tx) error {
		rotated = false
		current, err := d.scanWorkspace(tx.QueryRowContext(ctx, `SELECT `+workspaceColumns+` FROM workspaces WHERE id = ?`, workspaceID), "The workspace")
		if err != nil {
			return fmt.Errorf("rotate embed secret: workspace %d: %w", workspaceID, err)
		}
		if !replacing.IsZero() && current.EmbedSecret.Reveal() != replacing.Reveal() {
			w = current
			return nil
		}
		secret, err := NewEmbedSecret()
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		sealed, err := d.box.Seal(embedSecretContext(current.Name), secret.Reveal())
		if err != nil {
			return fmt.Errorf("%s: seal: %w", what, err)
		}
		now := d.now()
		sealedPrevious, previousExpires := "", sql.NullString{}
		if grace > 0 {
			if sealedPrevious, err = d.box.Seal(previousSecretContext(current.Name), current.EmbedSecret.Reveal()); err != nil {
				return fmt.Errorf("%s: seal previous: %w", what, err)
			}
			previousExpires = nullString(formatTime(now.Add(grace)))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE workspaces SET embed_secret = ?, previous_embed_secret = ?, previous_secret_expires_at = ?, secret_rotated_at = ? WHERE id = ?`,
			sealed, sealedPrevious, previousExpires, formatTime(now), workspaceID); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if w, err = d.scanWorkspace(tx.QueryRowContext(ctx, `SELECT `+workspaceColumns+` FROM workspaces WHERE id = ?`, workspaceID), "The workspace"); err != nil {
			return fmt.Errorf("rotate embed secret: read back: %w", err)
		}
		rotated = true
		return nil
	})
	if err != nil {
		return domain.Workspace{}, false, err
	}
	return w, rotated, nil
}

// UpdateWorkspaceSettings saves a workspace's embedding settings: the
// origins allowed to frame its sidebar (none means the server's default)
// and its cache TTL (zero means the server's default). The caller
// validates them.
func (d *DB) UpdateWorkspaceSettings(ctx context.Context, workspaceID int64, frameAncestors []string, cacheTTL time.Duration) error {
	res, err := d.db.ExecContext(ctx, `UPDATE workspaces SET frame_ancestors = ?, cache_ttl_seconds = ? WHERE id = ?`,
		strings.Join(frameAncestors, " "), int64(cacheTTL/time.Second), workspaceID)
	if err != nil {
		return fmt.Errorf("update settings of workspace %d: %w", workspaceID, err)
	}
	if err := mustAffect(res, "The workspace"); err != nil {
		return fmt.Errorf("update settings of workspace %d: %w", workspaceID, err)
	}
	return nil
}

func isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// Workspaces lists every workspace by name.
func (d *DB) Workspaces(ctx context.Context) ([]domain.Workspace, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+workspaceColumns+` FROM workspaces ORDER BY name`)
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
