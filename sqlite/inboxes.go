package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"shopcard/domain"
	"shopcard/inbox"
)

// storedSettings is how an installation's settings are sealed: plain
// strings, since domain.Secret redacts itself when encoded.
type storedSettings struct {
	BaseURL           string `json:"base_url,omitempty"`
	AccountID         int64  `json:"account_id,omitempty"`
	APIToken          string `json:"api_token,omitempty"`
	APIEmail          string `json:"api_email,omitempty"`
	SigningSecret     string `json:"signing_secret,omitempty"`
	ClientID          string `json:"client_id,omitempty"`
	ClientSecret      string `json:"client_secret,omitempty"`
	AuthSecret        string `json:"auth_secret,omitempty"`
	PublicKeyPEM      string `json:"public_key_pem,omitempty"`
	AppInstallationID int64  `json:"app_installation_id,omitempty"`
}

func toStored(s inbox.Settings) storedSettings {
	return storedSettings{
		BaseURL: s.BaseURL, AccountID: s.AccountID, APIToken: s.APIToken.Reveal(), APIEmail: s.APIEmail,
		SigningSecret: s.SigningSecret.Reveal(), ClientID: s.ClientID, ClientSecret: s.ClientSecret.Reveal(),
		AuthSecret: s.AuthSecret.Reveal(), PublicKeyPEM: s.PublicKeyPEM, AppInstallationID: s.AppInstallationID,
	}
}

func (s storedSettings) settings() inbox.Settings {
	return inbox.Settings{
		BaseURL: s.BaseURL, AccountID: s.AccountID, APIToken: domain.NewSecret(s.APIToken), APIEmail: s.APIEmail,
		SigningSecret: domain.NewSecret(s.SigningSecret), ClientID: s.ClientID, ClientSecret: domain.NewSecret(s.ClientSecret),
		AuthSecret: domain.NewSecret(s.AuthSecret), PublicKeyPEM: s.PublicKeyPEM, AppInstallationID: s.AppInstallationID,
	}
}

// The sealing context binds the ciphertext to its row, so settings copied
// into another installation's row do not open.
func installationContext(id string) string { return "inbox_installation:" + id + ":settings" }

func (d *DB) sealSettings(id string, s inbox.Settings) (string, error) {
	b, err := json.Marshal(toStored(s))
	if err != nil {
		return "", err
	}
	return d.box.Seal(installationContext(id), string(b))
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
	inst.CreatedAt = d.now()
	if _, err := d.db.ExecContext(ctx, `INSERT INTO inbox_installations (id, workspace_id, kind, label, settings, frame_origins, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, inst.WorkspaceID, string(inst.Kind), inst.Label, sealed, strings.Join(inst.FrameOrigins, " "), formatTime(inst.CreatedAt)); err != nil {
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
	res, err := d.db.ExecContext(ctx, `UPDATE inbox_installations SET settings = ? WHERE id = ? AND workspace_id = ?`, sealed, id, workspaceID)
	if err != nil {
		return fmt.Errorf("update installation: %w", err)
	}
	return mustAffect(res, "The installation")
}

const installationColumns = `id, workspace_id, kind, label, settings, frame_origins, created_at`

func (d *DB) scanInstallation(row rowScanner) (inbox.Installation, error) {
	var (
		inst                  inbox.Installation
		kind, sealed, origins string
		created               string
	)
	if err := row.Scan(&inst.ID, &inst.WorkspaceID, &kind, &inst.Label, &sealed, &origins, &created); err != nil {
		return inbox.Installation{}, notFound(err, "The installation")
	}
	inst.Kind = inbox.Kind(kind)
	plain, err := d.box.Open(installationContext(inst.ID), sealed)
	if err != nil {
		return inbox.Installation{}, fmt.Errorf("installation %s settings: %w", inbox.Handle(inst.ID), err)
	}
	var s storedSettings
	if err := json.Unmarshal([]byte(plain), &s); err != nil {
		return inbox.Installation{}, fmt.Errorf("installation %s settings: %w", inbox.Handle(inst.ID), err)
	}
	inst.Settings = s.settings()
	inst.FrameOrigins = strings.Fields(origins)
	inst.CreatedAt = parseTime(nullString(created))
	return inst, nil
}

// InstallationByID finds an installation by its public ID, in any
// workspace: the helpdesk's request says which.
func (d *DB) InstallationByID(ctx context.Context, id string) (inbox.Installation, error) {
	inst, err := d.scanInstallation(d.db.QueryRowContext(ctx, `SELECT `+installationColumns+` FROM inbox_installations WHERE id = ?`, id))
	if err != nil {
		return inbox.Installation{}, fmt.Errorf("installation %s: %w", inbox.Handle(id), err)
	}
	return inst, nil
}

// WorkspaceInstallation finds an installation only within a workspace.
func (d *DB) WorkspaceInstallation(ctx context.Context, workspaceID int64, id string) (inbox.Installation, error) {
	inst, err := d.scanInstallation(d.db.QueryRowContext(ctx, `SELECT `+installationColumns+` FROM inbox_installations WHERE id = ? AND workspace_id = ?`, id, workspaceID))
	if err != nil {
		return inbox.Installation{}, fmt.Errorf("installation %s: %w", inbox.Handle(id), err)
	}
	return inst, nil
}

// InstallationsByWorkspace lists a workspace's installations, oldest
// first.
func (d *DB) InstallationsByWorkspace(ctx context.Context, workspaceID int64) ([]inbox.Installation, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+installationColumns+` FROM inbox_installations WHERE workspace_id = ? ORDER BY created_at, id`, workspaceID)
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
	res, err := d.db.ExecContext(ctx, `DELETE FROM inbox_installations WHERE id = ? AND workspace_id = ?`, id, workspaceID)
	if err != nil {
		return fmt.Errorf("remove installation: %w", err)
	}
	return mustAffect(res, "The installation")
}
