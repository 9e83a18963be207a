package sqlite

import (
	"context"
	"database/sql"
	"errors"
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

func refreshTokenContext(storeDomain string, workspaceID int64) string {
	return "store:" + strconv.FormatInt(workspaceID, 10) + ":" + storeDomain + ":refresh_token"
}

func clientSecretContext(storeDomain string, workspaceID int64) string {
	return "store:" + strconv.FormatInt(workspaceID, 10) + ":" + storeDomain + ":client_secret"
}

// sealedTokens are a store's credentials as written to its row.
type sealedTokens struct {
	kind                  domain.TokenKind
	access, refresh       string
	accessExp, refreshExp sql.NullString
	renewed               sql.NullString
	clientID              string
	clientSecret          string
}

// sealTokens seals a store's access and refresh tokens and its client
// secret, each bound to the store, and normalizes the token kind.
func (d *DB) sealTokens(s domain.Store) (sealedTokens, error) {
	t := sealedTokens{kind: s.TokenKind, renewed: optionalTime(s.TokenRenewedAt)}
	if t.kind == "" {
		t.kind = domain.TokenCustomApp
	}
	var err error
	if t.access, err = d.box.Seal(tokenContext(s.Domain, s.WorkspaceID), s.AccessToken.Reveal()); err != nil {
		return t, fmt.Errorf("seal access token: %w", err)
	}
	switch t.kind {
	case domain.TokenOAuth:
		if !s.RefreshToken.IsZero() {
			if t.refresh, err = d.box.Seal(refreshTokenContext(s.Domain, s.WorkspaceID), s.RefreshToken.Reveal()); err != nil {
				return t, fmt.Errorf("seal refresh token: %w", err)
			}
		}
		t.accessExp, t.refreshExp = optionalTime(s.AccessTokenExpiresAt), optionalTime(s.RefreshTokenExpiresAt)
	case domain.TokenClientCredentials:
		t.clientID = s.ClientID
		if !s.ClientSecret.IsZero() {
			if t.clientSecret, err = d.box.Seal(clientSecretContext(s.Domain, s.WorkspaceID), s.ClientSecret.Reveal()); err != nil {
				return t, fmt.Errorf("seal client secret: %w", err)
			}
		}
		t.accessExp = optionalTime(s.AccessTokenExpiresAt)
	}
	return t, nil
}

func optionalTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return nullString(formatTime(t))
}

// SaveStore connects a store to a workspace, or, when the workspace already
// has that domain, replaces its credentials (access token, refresh token,
// a Dev Dashboard app's client ID and secret), scopes and shop name and
// marks it healthy again. It reports whether the store was new. Finding
// the existing row and writing it are one immediate transaction, so two
// saves of one domain at once update one row rather than fail on the
// second insert.
func (d *DB) SaveStore(ctx context.Context, s domain.Store) (domain.Store, bool, error) {
	t, err := d.sealTokens(s)
	if err != nil {
		return domain.Store{}, false, fmt.Errorf("save store %s: %w", s.Domain, err)
	}
	now := formatTime(d.now())
	scopes := strings.Join(s.Scopes, ",")
	what := fmt.Sprintf("save store %s in workspace %d", s.Domain, s.WorkspaceID)
	var saved domain.Store
	var created bool
	err = d.inTx(ctx, what, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM stores WHERE workspace_id = ? AND domain = ?`, s.WorkspaceID, s.Domain).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res, err := tx.ExecContext(ctx, `INSERT INTO stores (workspace_id, domain, shop_name, access_token, scopes, status, last_ok_at, created_at,
					token_kind, refresh_token, access_token_expires_at, refresh_token_expires_at, token_renewed_at, client_id, client_secret)
				VALUES (?, ?, ?, ?, ?, 'healthy', ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.WorkspaceID, s.Domain, s.ShopName, t.access, scopes, now, now,
				t.kind, t.refresh, t.accessExp, t.refreshExp, t.renewed, t.clientID, t.clientSecret)
			if err != nil {
				return fmt.Errorf("%s: insert: %w", what, err)
			}
			id, _ = res.LastInsertId()
			created = true
		case err != nil:
			return fmt.Errorf("%s: find existing: %w", what, err)
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE stores SET shop_name = ?, access_token = ?, scopes = ?, status = 'healthy', last_ok_at = ?, last_error = '', last_error_at = NULL,
					token_kind = ?, refresh_token = ?, access_token_expires_at = ?, refresh_token_expires_at = ?, token_renewed_at = ?, client_id = ?, client_secret = ? WHERE id = ?`,
				s.ShopName, t.access, scopes, now, t.kind, t.refresh, t.accessExp, t.refreshExp, t.renewed, t.clientID, t.clientSecret, id); err != nil {
				return fmt.Errorf("%s: update: %w", what, err)
			}
			created = false
		}
		saved, err = d.scanStore(tx.QueryRowContext(ctx, `SELECT `+storeColumns+storesFrom+` WHERE s.workspace_id = ? AND s.id = ?`, s.WorkspaceID, id))
		if err != nil {
			return fmt.Errorf("save store %s: read back: %w", s.Domain, err)
		}
		return nil
	})
	if err != nil {
		return domain.Store{}, false, err
	}
	return saved, created, nil
}

// SaveStoreTokens replaces a connected store's tokens after a renewal,
// with when it happened (TokenRenewedAt), leaving everything else as it
// is, a Dev Dashboard app's client credentials included. s carries the
// store's ID, workspace and domain, and the new tokens. Both tokens are
// written in one statement, so a rotated refresh token is never lost
// while its access token is kept.
func (d *DB) SaveStoreTokens(ctx context.Context, s domain.Store) error {
	t, err := d.sealTokens(s)
	if err != nil {
		return fmt.Errorf("save tokens of store %d (%s): %w", s.ID, s.Domain, err)
	}
	res, err := d.db.ExecContext(ctx, `UPDATE stores SET access_token = ?, token_kind = ?, refresh_token = ?, access_token_expires_at = ?, refresh_token_expires_at = ?,
		token_renewed_at = ? WHERE id = ? AND workspace_id = ? AND domain = ?`, t.access, t.kind, t.refresh, t.accessExp, t.refreshExp, t.renewed, s.ID, s.WorkspaceID, s.Domain)
	if err != nil {
		return fmt.Errorf("save tokens of store %d (%s): %w", s.ID, s.Domain, err)
	}
	if err := mustAffect(res, "The store"); err != nil {
		return fmt.Errorf("save tokens of store %d (%s) in workspace %d: %w", s.ID, s.Domain, s.WorkspaceID, err)
	}
	return nil
}

// UpdateStoreAccess records what a successful connection test learned: the
// shop's name and the scopes its token holds.
func (d *DB) UpdateStoreAccess(ctx context.Context, workspaceID, storeID int64, shopName string, scopes []string) error {
	res, err := d.db.ExecContext(ctx, `UPDATE stores SET shop_name = ?, scopes = ? WHERE id = ? AND workspace_id = ?`,
		shopName, strings.Join(scopes, ","), storeID, workspaceID)
	if err != nil {
		return fmt.Errorf("update access of store %d: %w", storeID, err)
	}
	if err := mustAffect(res, "The store"); err != nil {
		return fmt.Errorf("update access of store %d in workspace %d: %w", storeID, workspaceID, err)
	}
	return nil
}

// storeColumns are read with the workspace's cache TTL, which every store
// of the workspace uses.
const storeColumns = `s.id, s.workspace_id, s.domain, s.shop_name, s.access_token, s.scopes, s.status, s.last_ok_at, s.last_error, s.created_at,
	s.token_kind, s.refresh_token, s.access_token_expires_at, s.refresh_token_expires_at, w.cache_ttl_seconds,
	s.token_renewed_at, s.client_id, s.client_secret, s.last_error_at, s.webhook_verified_at, s.webhook_refused_since`

const storesFrom = ` FROM stores s JOIN workspaces w ON w.id = s.workspace_id`

// StoresByWorkspace lists a workspace's stores, oldest first, so sections
// keep their order in the sidebar.
func (d *DB) StoresByWorkspace(ctx context.Context, workspaceID int64) ([]domain.Store, error) {
	stores, err := d.queryStores(ctx, `s.workspace_id = ?`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("stores of workspace %d: %w", workspaceID, err)
	}
	return stores, nil
}

// queryStores reads the stores matching a WHERE clause, oldest first.
func (d *DB) queryStores(ctx context.Context, where string, args ...any) ([]domain.Store, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+storeColumns+storesFrom+` WHERE `+where+` ORDER BY s.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
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
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read rows: %w", err)
	}
	return out, nil
}

// StoreByID finds one store, only within the given workspace: a store of
// another workspace is "not found", never returned.
func (d *DB) StoreByID(ctx context.Context, workspaceID, storeID int64) (domain.Store, error) {
	s, err := d.scanStore(d.db.QueryRowContext(ctx, `SELECT `+storeColumns+storesFrom+` WHERE s.workspace_id = ? AND s.id = ?`, workspaceID, storeID))
	if err != nil {
		return domain.Store{}, fmt.Errorf("store %d in workspace %d: %w", storeID, workspaceID, notFound(err, "The store"))
	}
	return s, nil
}

// StoreByDomain finds a workspace's store by its myshopify domain.
func (d *DB) StoreByDomain(ctx context.Context, workspaceID int64, storeDomain string) (domain.Store, error) {
	s, err := d.scanStore(d.db.QueryRowContext(ctx, `SELECT `+storeColumns+storesFrom+` WHERE s.workspace_id = ? AND s.domain = ?`, workspaceID, storeDomain))
	if err != nil {
		return domain.Store{}, fmt.Errorf("store %s in workspace %d: %w", storeDomain, workspaceID, notFound(err, fmt.Sprintf("Store %s", storeDomain)))
	}
	return s, nil
}

// RemoveStore disconnects a store and deletes its token.
func (d *DB) RemoveStore(ctx context.Context, workspaceID, storeID int64) error {
	res, err := d.db.ExecContext(ctx, `DELETE FROM stores WHERE workspace_id = ? AND id = ?`, workspaceID, storeID)
	if err != nil {
		return fmt.Errorf("remove store %d: %w", storeID, err)
	}
	if err := mustAffect(res, "The store"); err != nil {
		return fmt.Errorf("remove store %d from workspace %d: %w", storeID, workspaceID, err)
	}
	return nil
}

// RecordStoreResult notes the outcome of a call to Shopify: success clears
// the error and refreshes last_ok_at; a failure records the status the error
// implies and its message in plain words, with its time.
func (d *DB) RecordStoreResult(ctx context.Context, storeID int64, status domain.StoreStatus, lastError string, at time.Time) error {
	var err error
	if lastError == "" {
		_, err = d.db.ExecContext(ctx, `UPDATE stores SET status = ?, last_ok_at = ?, last_error = '', last_error_at = NULL WHERE id = ?`, status, formatTime(at), storeID)
	} else {
		_, err = d.db.ExecContext(ctx, `UPDATE stores SET status = ?, last_error = ?, last_error_at = ? WHERE id = ?`, status, lastError, formatTime(at), storeID)
	}
	if err != nil {
		return fmt.Errorf("record %s result of store %d: %w", status, storeID, err)
	}
	return nil
}

func (d *DB) scanStore(row rowScanner) (domain.Store, error) {
	var (
		s                     domain.Store
		sealed, sealedRefresh string
		scopes                string
		status, kind          string
		lastOK                sql.NullString
		created               string
		accessExp, refreshExp sql.NullString
		ttlSeconds            int64
		renewed, lastErrorAt  sql.NullString
		verified, refused     sql.NullString
		sealedClientSecret    string
	)
	if err := row.Scan(&s.ID, &s.WorkspaceID, &s.Domain, &s.ShopName, &sealed, &scopes, &status, &lastOK, &s.LastError, &created,
		&kind, &sealedRefresh, &accessExp, &refreshExp, &ttlSeconds,
		&renewed, &s.ClientID, &sealedClientSecret, &lastErrorAt, &verified, &refused); err != nil {
		// Bare: sql.ErrNoRows must reach notFound, and callers name the
		// store they asked for.
		return domain.Store{}, err
	}
	token, err := d.box.Open(tokenContext(s.Domain, s.WorkspaceID), sealed)
	if err != nil {
		return domain.Store{}, fmt.Errorf("store %s access token: %w", s.Domain, err)
	}
	s.AccessToken = domain.NewSecret(token)
	refresh, err := d.box.Open(refreshTokenContext(s.Domain, s.WorkspaceID), sealedRefresh)
	if err != nil {
		return domain.Store{}, fmt.Errorf("store %s refresh token: %w", s.Domain, err)
	}
	s.RefreshToken = domain.NewSecret(refresh)
	clientSecret, err := d.box.Open(clientSecretContext(s.Domain, s.WorkspaceID), sealedClientSecret)
	if err != nil {
		return domain.Store{}, fmt.Errorf("store %s client secret: %w", s.Domain, err)
	}
	s.ClientSecret = domain.NewSecret(clientSecret)
	s.TokenRenewedAt = parseTime(renewed)
	s.LastErrorAt = parseTime(lastErrorAt)
	s.WebhookVerifiedAt = parseTime(verified)
	s.WebhookRefusedSince = parseTime(refused)
	if scopes != "" {
		s.Scopes = strings.Split(scopes, ",")
	}
	s.Status = domain.StoreStatus(status)
	s.LastOKAt = parseTime(lastOK)
	s.CreatedAt = parseTime(nullString(created))
	s.TokenKind = domain.TokenKind(kind)
	s.AccessTokenExpiresAt = parseTime(accessExp)
	s.RefreshTokenExpiresAt = parseTime(refreshExp)
	s.CacheTTL = time.Duration(ttlSeconds) * time.Second
	return s, nil
}
