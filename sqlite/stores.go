package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"shopcard/domain"
)

func tokenContext(storeDomain string, workspaceID int64) string {
	return "store:" + strconv.FormatInt(workspaceID, 10) + ":" + storeDomain + ":access_token"
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// SaveStore connects a store to a workspace, or, when the workspace already
// has that domain, replaces its token, scopes and shop name and marks it
// healthy again. It reports whether the store was new.
func (d *DB) SaveStore(ctx context.Context, s domain.Store) (domain.Store, bool, error) {
	sealed, err := d.box.Seal(tokenContext(s.Domain, s.WorkspaceID), s.AccessToken.Reveal())
	if err != nil {
		return domain.Store{}, false, err
	}
	now := formatTime(d.now())
	scopes := strings.Join(s.Scopes, ",")
	var existing int64
	err = d.db.QueryRowContext(ctx, `SELECT id FROM stores WHERE workspace_id = ? AND domain = ?`, s.WorkspaceID, s.Domain).Scan(&existing)
	switch {
	case err == sql.ErrNoRows:
		res, err := d.db.ExecContext(ctx, `INSERT INTO stores (workspace_id, domain, shop_name, access_token, scopes, status, last_ok_at, created_at)
			VALUES (?, ?, ?, ?, ?, 'healthy', ?, ?)`, s.WorkspaceID, s.Domain, s.ShopName, sealed, scopes, now, now)
		if err != nil {
			return domain.Store{}, false, fmt.Errorf("insert store: %w", err)
		}
		id, _ := res.LastInsertId()
		saved, err := d.StoreByID(ctx, s.WorkspaceID, id)
		return saved, true, err
	case err != nil:
		return domain.Store{}, false, err
	}
	_, err = d.db.ExecContext(ctx, `UPDATE stores SET shop_name = ?, access_token = ?, scopes = ?, status = 'healthy', last_ok_at = ?, last_error = '' WHERE id = ?`,
		s.ShopName, sealed, scopes, now, existing)
	if err != nil {
		return domain.Store{}, false, fmt.Errorf("update store: %w", err)
	}
	saved, err := d.StoreByID(ctx, s.WorkspaceID, existing)
	return saved, false, err
}

const storeColumns = `id, workspace_id, domain, shop_name, access_token, scopes, status, last_ok_at, last_error, created_at`

// StoresByWorkspace lists a workspace's stores, oldest first, so sections
// keep their order in the sidebar.
func (d *DB) StoresByWorkspace(ctx context.Context, workspaceID int64) ([]domain.Store, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+storeColumns+` FROM stores WHERE workspace_id = ? ORDER BY id`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Store
	for rows.Next() {
		s, err := d.scanStore(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// StoreByID finds one store, only within the given workspace: a store of
// another workspace is "not found", never returned.
func (d *DB) StoreByID(ctx context.Context, workspaceID, storeID int64) (domain.Store, error) {
	s, err := d.scanStore(d.db.QueryRowContext(ctx, `SELECT `+storeColumns+` FROM stores WHERE workspace_id = ? AND id = ?`, workspaceID, storeID))
	return s, notFound(err, "The store")
}

// StoreByDomain finds a workspace's store by its myshopify domain.
func (d *DB) StoreByDomain(ctx context.Context, workspaceID int64, storeDomain string) (domain.Store, error) {
	s, err := d.scanStore(d.db.QueryRowContext(ctx, `SELECT `+storeColumns+` FROM stores WHERE workspace_id = ? AND domain = ?`, workspaceID, storeDomain))
	return s, notFound(err, fmt.Sprintf("Store %s", storeDomain))
}

// RemoveStore disconnects a store and deletes its token.
func (d *DB) RemoveStore(ctx context.Context, workspaceID, storeID int64) error {
	res, err := d.db.ExecContext(ctx, `DELETE FROM stores WHERE workspace_id = ? AND id = ?`, workspaceID, storeID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.KindNotFound, "The store was not found.")
	}
	return nil
}

// RecordStoreResult notes the outcome of a call to Shopify: success clears
// the error and refreshes last_ok_at; a failure records the status the error
// implies and its message in plain words.
func (d *DB) RecordStoreResult(ctx context.Context, storeID int64, status domain.StoreStatus, lastError string, at time.Time) error {
	var err error
	if lastError == "" {
		_, err = d.db.ExecContext(ctx, `UPDATE stores SET status = ?, last_ok_at = ?, last_error = '' WHERE id = ?`, status, formatTime(at), storeID)
	} else {
		_, err = d.db.ExecContext(ctx, `UPDATE stores SET status = ?, last_error = ? WHERE id = ?`, status, lastError, storeID)
	}
	return err
}

func (d *DB) scanStore(row rowScanner) (domain.Store, error) {
	var (
		s       domain.Store
		sealed  string
		scopes  string
		status  string
		lastOK  sql.NullString
		created string
	)
	if err := row.Scan(&s.ID, &s.WorkspaceID, &s.Domain, &s.ShopName, &sealed, &scopes, &status, &lastOK, &s.LastError, &created); err != nil {
		return domain.Store{}, err
	}
	token, err := d.box.Open(tokenContext(s.Domain, s.WorkspaceID), sealed)
	if err != nil {
		return domain.Store{}, fmt.Errorf("store %s access token: %w", s.Domain, err)
	}
	s.AccessToken = domain.NewSecret(token)
	if scopes != "" {
		s.Scopes = strings.Split(scopes, ",")
	}
	s.Status = domain.StoreStatus(status)
	s.LastOKAt = parseTime(lastOK)
	s.CreatedAt = parseTime(nullString(created))
	return s, nil
}
