package sqlite

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

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
		return domain.Secret{}, err
	}
	return domain.NewSecret(base64.RawURLEncoding.EncodeToString(b)), nil
}

func embedSecretContext(name string) string { return "workspace:" + name + ":embed_secret" }

// CreateWorkspace creates a workspace with a new embed secret.
func (d *DB) CreateWorkspace(ctx context.Context, name string) (domain.Workspace, error) {
	if err := ValidateWorkspaceName(name); err != nil {
		return domain.Workspace{}, err
	}
	secret, err := NewEmbedSecret()
	if err != nil {
		return domain.Workspace{}, err
	}
	sealed, err := d.box.Seal(embedSecretContext(name), secret.Reveal())
	if err != nil {
		return domain.Workspace{}, err
	}
	now := d.now()
	res, err := d.db.ExecContext(ctx, `INSERT INTO workspaces (name, embed_secret, created_at) VALUES (?, ?, ?)`, name, sealed, formatTime(now))
	if err != nil {
		if isUniqueViolation(err) {
			return domain.Workspace{}, domain.Errorf(domain.KindConflict, "A workspace named %q already exists.", name)
		}
		return domain.Workspace{}, fmt.Errorf("insert workspace: %w", err)
	}
	id, _ := res.LastInsertId()
	return domain.Workspace{ID: id, Name: name, EmbedSecret: secret, CreatedAt: now}, nil
}

// WorkspaceByName finds a workspace by its name.
func (d *DB) WorkspaceByName(ctx context.Context, name string) (domain.Workspace, error) {
	return d.scanWorkspace(d.db.QueryRowContext(ctx, `SELECT id, name, embed_secret, created_at FROM workspaces WHERE name = ?`, name), fmt.Sprintf("Workspace %q", name))
}

// WorkspaceByID finds a workspace by its ID.
func (d *DB) WorkspaceByID(ctx context.Context, id int64) (domain.Workspace, error) {
	return d.scanWorkspace(d.db.QueryRowContext(ctx, `SELECT id, name, embed_secret, created_at FROM workspaces WHERE id = ?`, id), "The workspace")
}

type rowScanner interface{ Scan(...any) error }

func (d *DB) scanWorkspace(row rowScanner, what string) (domain.Workspace, error) {
	var (
		w       domain.Workspace
		sealed  string
		created string
	)
	if err := row.Scan(&w.ID, &w.Name, &sealed, &created); err != nil {
		return domain.Workspace{}, notFound(err, what)
	}
	secret, err := d.box.Open(embedSecretContext(w.Name), sealed)
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("workspace %s embed secret: %w", w.Name, err)
	}
	w.EmbedSecret = domain.NewSecret(secret)
	w.CreatedAt = parseTime(nullString(created))
	return w, nil
}

func isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// Workspaces lists every workspace by name.
func (d *DB) Workspaces(ctx context.Context) ([]domain.Workspace, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, name, embed_secret, created_at FROM workspaces ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Workspace
	for rows.Next() {
		w, err := d.scanWorkspace(rows, "The workspace")
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}
