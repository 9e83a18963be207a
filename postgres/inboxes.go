package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"shopcard/inbox"
	"shopcard/storage"
)

func (d *DB) sealSettings(id string, s inbox.Settings) (string, error) {
	plain, err := storage.EncodeSettings(s)
	if err != nil {
		return "", err
	}
	return d.box.Seal(storage.InstallationContext(id), plain)
}

// CreateInstallation saves a new installation with a new random ID.
func (d *DB) CreateInstallation(ctx context.Context, inst inbox.Installation) (inbox.Installation, error) {
	id, err := inbox.NewID()
	if err != nil {
		return inbox.Installation{}, err
	}
	inst.ID = id
	sealed, err := d.sealSettings(id, inst.Settings)
	if err != nil {
		return inbox.Installation{}, fmt.Errorf("create installation: seal: %w", err)
	}
	inst.CreatedAt = d.now().UTC()
	if _, err := d.pool.Exec(ctx, `INSERT INTO inbox_installations (id, workspace_id, kind, label, settings, frame_origins, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		id, inst.WorkspaceID, string(inst.Kind), inst.Label, sealed, strings.Join(inst.FrameOrigins, " "), inst.CreatedAt); err != nil {
		return inbox.Installation{}, fmt.Errorf("create installation: %w", err)
	}
	return inst, nil
}

// UpdateInstallationSettings replaces an installation's settings, only
// within its workspace.
func (d *DB) UpdateInstallationSettings(ctx context.Context, workspaceID int64, id string, s inbox.Settings) error {
	sealed, err := d.sealSettings(id, s)
	if err != nil {
		return fmt.Errorf("update installation: seal: %w", err)
	}
	tag, err := d.pool.Exec(ctx, `UPDATE inbox_installations SET settings = $1 WHERE id = $2 AND workspace_id = $3`, sealed, id, workspaceID)
	if err != nil {
		return fmt.Errorf("update installation: %w", err)
	}
	return mustAffect(tag, "The installation")
}

const installationColumns = `id, workspace_id, kind, label, settings, frame_origins, created_at`

func (d *DB) scanInstallation(row pgx.Row) (inbox.Installation, error) {
	var (
		inst                  inbox.Installation
		kind, sealed, origins string
		created               time.Time
	)
	if err := row.Scan(&inst.ID, &inst.WorkspaceID, &kind, &inst.Label, &sealed, &origins, &created); err != nil {
		return inbox.Installation{}, notFound(err, "The installation")
	}
	inst.Kind = inbox.Kind(kind)
	plain, err := d.box.Open(storage.InstallationContext(inst.ID), sealed)
	if err != nil {
		return inbox.Installation{}, fmt.Errorf("installation %s settings: %w", inbox.Handle(inst.ID), err)
	}
	if inst.Settings, err = storage.DecodeSettings(plain); err != nil {
		return inbox.Installation{}, fmt.Errorf("installation %s settings: %w", inbox.Handle(inst.ID), err)
	}
	inst.FrameOrigins = strings.Fields(origins)
	inst.CreatedAt = created.UTC()
	return inst, nil
}

// InstallationByID finds an installation by its public ID, in any
// workspace: the helpdesk's request says which. Installations are read
// from the database on every request, so a removal holds on every replica
// at once.
func (d *DB) InstallationByID(ctx context.Context, id string) (inbox.Installation, error) {
	if hasNUL(id) {
		return inbox.Installation{}, fmt.Errorf("installation %s: %w", inbox.Handle(id), storage.NotFound("The installation"))
	}
	inst, err := d.scanInstallation(d.pool.QueryRow(ctx, `SELECT `+installationColumns+` FROM inbox_installations WHERE id = $1`, id))
	if err != nil {
		return inbox.Installation{}, fmt.Errorf("installation %s: %w", inbox.Handle(id), err)
	}
	return inst, nil
}

// WorkspaceInstallation finds an installation only within a workspace.
func (d *DB) WorkspaceInstallation(ctx context.Context, workspaceID int64, id string) (inbox.Installation, error) {
	if hasNUL(id) {
		return inbox.Installation{}, fmt.Errorf("installation %s: %w", inbox.Handle(id), storage.NotFound("The installation"))
	}
	inst, err := d.scanInstallation(d.pool.QueryRow(ctx, `SELECT `+installationColumns+` FROM inbox_installations WHERE id = $1 AND workspace_id = $2`, id, workspaceID))
	if err != nil {
		return inbox.Installation{}, fmt.Errorf("installation %s: %w", inbox.Handle(id), err)
	}
	return inst, nil
}

// InstallationsByWorkspace lists a workspace's installations, oldest
// first.
func (d *DB) InstallationsByWorkspace(ctx context.Context, workspaceID int64) ([]inbox.Installation, error) {
	rows, err := d.pool.Query(ctx, `SELECT `+installationColumns+` FROM inbox_installations WHERE workspace_id = $1 ORDER BY created_at, id COLLATE "C"`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("installations of workspace %d: %w", workspaceID, err)
	}
	defer rows.Close()
	var out []inbox.Installation
	for rows.Next() {
		inst, err := d.scanInstallation(rows)
		if err != nil {
			return nil, fmt.Errorf("installations of workspace %d: %w", workspaceID, err)
		}
		out = append(out, inst)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("installations of workspace %d: %w", workspaceID, err)
	}
	return out, nil
}

// RemoveInstallation deletes an installation, only within its workspace;
// its URL stops working at once.
func (d *DB) RemoveInstallation(ctx context.Context, workspaceID int64, id string) error {
	tag, err := d.pool.Exec(ctx, `DELETE FROM inbox_installations WHERE id = $1 AND workspace_id = $2`, id, workspaceID)
	if err != nil {
		return fmt.Errorf("remove installation: %w", err)
	}
	return mustAffect(tag, "The installation")
}
