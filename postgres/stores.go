package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"shopcard/domain"
	"shopcard/storage"
)

// sealedTokens are a store's credentials as written to its row.
type sealedTokens struct {
	kind                  domain.TokenKind
	access, refresh       string
	accessExp, refreshExp *time.Time
	renewed               *time.Time
	clientID              string
	clientSecret          string
}

// sealTokens seals a store's access and refresh tokens and its client
// secret, each bound to the store, and normalizes the token kind: the same
// rules as sqlite's.
func (d *DB) sealTokens(s domain.Store) (sealedTokens, error) {
	t := sealedTokens{kind: s.TokenKind, renewed: optional(s.TokenRenewedAt)}
	if t.kind == "" {
		t.kind = domain.TokenCustomApp
	}
	var err error
	if t.access, err = d.box.Seal(storage.AccessTokenContext(s.Domain, s.WorkspaceID), s.AccessToken.Reveal()); err != nil {
		return t, fmt.Errorf("seal access token: %w", err)
	}
	switch t.kind {
	case domain.TokenOAuth:
		if !s.RefreshToken.IsZero() {
			if t.refresh, err = d.box.Seal(storage.RefreshTokenContext(s.Domain, s.WorkspaceID), s.RefreshToken.Reveal()); err != nil {
				return t, fmt.Errorf("seal refresh token: %w", err)
			}
		}
		t.accessExp, t.refreshExp = optional(s.AccessTokenExpiresAt), optional(s.RefreshTokenExpiresAt)
	case domain.TokenClientCredentials:
		t.clientID = s.ClientID
		if !s.ClientSecret.IsZero() {
			if t.clientSecret, err = d.box.Seal(storage.ClientSecretContext(s.Domain, s.WorkspaceID), s.ClientSecret.Reveal()); err != nil {
				return t, fmt.Errorf("seal client secret: %w", err)
			}
		}
		t.accessExp = optional(s.AccessTokenExpiresAt)
	}
	return t, nil
}

// SaveStore connects a store to a workspace, or, when the workspace already
// has that domain, replaces its credentials, scopes and shop name and
// marks it healthy again. It reports whether the store was new. The
// insert and the update are one statement (INSERT … ON CONFLICT), so two
// saves of one domain at once, on any replicas, update one row rather
// than fail on the second insert.
func (d *DB) SaveStore(ctx context.Context, s domain.Store) (domain.Store, bool, error) {
	t, err := d.sealTokens(s)
	if err != nil {
		return domain.Store{}, false, fmt.Errorf("save store %s: %w", s.Domain, err)
	}
	now := d.now().UTC()
	scopes := strings.Join(s.Scopes, ",")
	what := fmt.Sprintf("save store %s in workspace %d", s.Domain, s.WorkspaceID)
	var saved domain.Store
	var created bool
	err = d.inTx(ctx, what, func(tx pgx.Tx) error {
		var id int64
		// xmax = 0 only for a row this statement inserted.
		err := tx.QueryRow(ctx, `INSERT INTO stores (workspace_id, domain, shop_name, access_token, scopes, status, last_ok_at, created_at,
				token_kind, refresh_token, access_token_expires_at, refresh_token_expires_at, token_renewed_at, client_id, client_secret)
			VALUES ($1, $2, $3, $4, $5, 'healthy', $6, $6, $7, $8, $9, $10, $11, $12, $13)
			ON CONFLICT (workspace_id, domain) DO UPDATE SET shop_name = excluded.shop_name, access_token = excluded.access_token,
				scopes = excluded.scopes, status = 'healthy', last_ok_at = excluded.last_ok_at, last_error = '', last_error_at = NULL,
				token_kind = excluded.token_kind, refresh_token = excluded.refresh_token,
				access_token_expires_at = excluded.access_token_expires_at, refresh_token_expires_at = excluded.refresh_token_expires_at,
				token_renewed_at = excluded.token_renewed_at, client_id = excluded.client_id, client_secret = excluded.client_secret
			RETURNING id, xmax = 0`, s.WorkspaceID, s.Domain, s.ShopName, t.access, scopes, now,
			t.kind, t.refresh, t.accessExp, t.refreshExp, t.renewed, t.clientID, t.clientSecret).Scan(&id, &created)
		if err != nil {
			return fmt.Errorf("%s: insert: %w", what, err)
		}
		saved, err = d.scanStore(tx.QueryRow(ctx, `SELECT `+storeColumns+storesFrom+` WHERE s.workspace_id = $1 AND s.id = $2`, s.WorkspaceID, id))
		if err != nil {
			return fmt.Errorf("save store %s: read back: %w", s.Domain, err)
		}
		return nil
	})
	if err != nil {
		return domain.Store{}, false, err
	}
	d.changed()
	return saved, created, nil
}

// SaveStoreTokens replaces a connected store's tokens after a renewal,
// with when it happened, leaving everything else as it is. Both tokens are
// written in one statement, so a rotated refresh token is never lost
// while its access token is kept.
func (d *DB) SaveStoreTokens(ctx context.Context, s domain.Store) error {
	t, err := d.sealTokens(s)
	if err != nil {
		return fmt.Errorf("save tokens of store %d (%s): %w", s.ID, s.Domain, err)
	}
	tag, err := d.pool.Exec(ctx, `UPDATE stores SET access_token = $1, token_kind = $2, refresh_token = $3, access_token_expires_at = $4, refresh_token_expires_at = $5,
		token_renewed_at = $6 WHERE id = $7 AND workspace_id = $8 AND domain = $9`, t.access, t.kind, t.refresh, t.accessExp, t.refreshExp, t.renewed, s.ID, s.WorkspaceID, s.Domain)
	if err != nil {
		return fmt.Errorf("save tokens of store %d (%s): %w", s.ID, s.Domain, err)
	}
	d.changed()
	if err := mustAffect(tag, "The store"); err != nil {
		return fmt.Errorf("save tokens of store %d (%s) in workspace %d: %w", s.ID, s.Domain, s.WorkspaceID, err)
	}
	return nil
}

// UpdateStoreAccess records what a successful connection test learned: the
// shop's name and the scopes its token holds.
func (d *DB) UpdateStoreAccess(ctx context.Context, workspaceID, storeID int64, shopName string, scopes []string) error {
	tag, err := d.pool.Exec(ctx, `UPDATE stores SET shop_name = $1, scopes = $2 WHERE id = $3 AND workspace_id = $4`,
		shopName, strings.Join(scopes, ","), storeID, workspaceID)
	if err != nil {
		return fmt.Errorf("update access of store %d: %w", storeID, err)
	}
	d.changed()
	if err := mustAffect(tag, "The store"); err != nil {
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
	stores, err := d.queryStores(ctx, `s.workspace_id = $1`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("stores of workspace %d: %w", workspaceID, err)
	}
	return stores, nil
}

// queryStores reads the stores matching a WHERE clause, oldest first.
func (d *DB) queryStores(ctx context.Context, where string, args ...any) ([]domain.Store, error) {
	rows, err := d.pool.Query(ctx, `SELECT `+storeColumns+storesFrom+` WHERE `+where+` ORDER BY s.id`, args...)
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
	s, err := d.scanStore(d.pool.QueryRow(ctx, `SELECT `+storeColumns+storesFrom+` WHERE s.workspace_id = $1 AND s.id = $2`, workspaceID, storeID))
	if err != nil {
		return domain.Store{}, fmt.Errorf("store %d in workspace %d: %w", storeID, workspaceID, notFound(err, "The store"))
	}
	return s, nil
}

// StoreByDomain finds a workspace's store by its myshopify domain.
func (d *DB) StoreByDomain(ctx context.Context, workspaceID int64, storeDomain string) (domain.Store, error) {
	if hasNUL(storeDomain) {
		return domain.Store{}, fmt.Errorf("store %s in workspace %d: %w", storeDomain, workspaceID, storage.NotFound(fmt.Sprintf("Store %s", storeDomain)))
	}
	s, err := d.scanStore(d.pool.QueryRow(ctx, `SELECT `+storeColumns+storesFrom+` WHERE s.workspace_id = $1 AND s.domain = $2`, workspaceID, storeDomain))
	if err != nil {
		return domain.Store{}, fmt.Errorf("store %s in workspace %d: %w", storeDomain, workspaceID, notFound(err, fmt.Sprintf("Store %s", storeDomain)))
	}
	return s, nil
}

// RemoveStore disconnects a store and deletes its token.
func (d *DB) RemoveStore(ctx context.Context, workspaceID, storeID int64) error {
	tag, err := d.pool.Exec(ctx, `DELETE FROM stores WHERE workspace_id = $1 AND id = $2`, workspaceID, storeID)
	if err != nil {
		return fmt.Errorf("remove store %d: %w", storeID, err)
	}
	d.changed()
	if err := mustAffect(tag, "The store"); err != nil {
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
		_, err = d.pool.Exec(ctx, `UPDATE stores SET status = $1, last_ok_at = $2, last_error = '', last_error_at = NULL WHERE id = $3`, string(status), at.UTC(), storeID)
	} else {
		_, err = d.pool.Exec(ctx, `UPDATE stores SET status = $1, last_error = $2, last_error_at = $3 WHERE id = $4`, string(status), lastError, at.UTC(), storeID)
	}
	if err != nil {
		return fmt.Errorf("record %s result of store %d: %w", status, storeID, err)
	}
	d.changed()
	return nil
}

func (d *DB) scanStore(row pgx.Row) (domain.Store, error) {
	var (
		s                     domain.Store
		sealed, sealedRefresh string
		scopes                string
		status, kind          string
		lastOK                *time.Time
		created               time.Time
		accessExp, refreshExp *time.Time
		ttlSeconds            int64
		renewed, lastErrorAt  *time.Time
		verified, refused     *time.Time
		sealedClientSecret    string
	)
	if err := row.Scan(&s.ID, &s.WorkspaceID, &s.Domain, &s.ShopName, &sealed, &scopes, &status, &lastOK, &s.LastError, &created,
		&kind, &sealedRefresh, &accessExp, &refreshExp, &ttlSeconds,
		&renewed, &s.ClientID, &sealedClientSecret, &lastErrorAt, &verified, &refused); err != nil {
		// Bare: pgx.ErrNoRows must reach notFound, and callers name the
		// store they asked for.
		return domain.Store{}, err
	}
	token, err := d.box.Open(storage.AccessTokenContext(s.Domain, s.WorkspaceID), sealed)
	if err != nil {
		return domain.Store{}, fmt.Errorf("store %s access token: %w", s.Domain, err)
	}
	s.AccessToken = domain.NewSecret(token)
	refresh, err := d.box.Open(storage.RefreshTokenContext(s.Domain, s.WorkspaceID), sealedRefresh)
	if err != nil {
		return domain.Store{}, fmt.Errorf("store %s refresh token: %w", s.Domain, err)
	}
	s.RefreshToken = domain.NewSecret(refresh)
	clientSecret, err := d.box.Open(storage.ClientSecretContext(s.Domain, s.WorkspaceID), sealedClientSecret)
	if err != nil {
		return domain.Store{}, fmt.Errorf("store %s client secret: %w", s.Domain, err)
	}
	s.ClientSecret = domain.NewSecret(clientSecret)
	s.TokenRenewedAt = utc(renewed)
	s.LastErrorAt = utc(lastErrorAt)
	s.WebhookVerifiedAt = utc(verified)
	s.WebhookRefusedSince = utc(refused)
	if scopes != "" {
		s.Scopes = strings.Split(scopes, ",")
	}
	s.Status = domain.StoreStatus(status)
	s.LastOKAt = utc(lastOK)
	s.CreatedAt = created.UTC()
	s.TokenKind = domain.TokenKind(kind)
	s.AccessTokenExpiresAt = utc(accessExp)
	s.RefreshTokenExpiresAt = utc(refreshExp)
	s.CacheTTL = time.Duration(ttlSeconds) * time.Second
	return s, nil
}

// StoresByShop lists a shop's connections in every workspace.
func (d *DB) StoresByShop(ctx context.Context, shopDomain string) ([]domain.Store, error) {
	stores, err := d.queryStores(ctx, `s.domain = $1`, shopDomain)
	if err != nil {
		return nil, fmt.Errorf("stores of shop %s: %w", shopDomain, err)
	}
	return stores, nil
}

// storesByIDs reads store connections by ID, in any workspace.
func (d *DB) storesByIDs(ctx context.Context, q querier, ids []int64, lock bool) ([]domain.Store, error) {
	var out []domain.Store
	forUpdate := ""
	if lock {
		forUpdate = " FOR UPDATE OF s"
	}
	for _, id := range ids {
		s, err := d.scanStore(q.QueryRow(ctx, `SELECT `+storeColumns+storesFrom+` WHERE s.id = $1`+forUpdate, id))
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store %d: %w", id, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// DisconnectStores marks store connections disconnected, with a message
// for admins, and deletes their access tokens: what happens when the app
// is uninstalled from the shop.
func (d *DB) DisconnectStores(ctx context.Context, ids []int64, message string) error {
	err := d.inTx(ctx, fmt.Sprintf("disconnect stores %v", ids), func(tx pgx.Tx) error {
		stores, err := d.storesByIDs(ctx, tx, ids, true)
		if err != nil {
			return fmt.Errorf("disconnect stores: %w", err)
		}
		for _, s := range stores {
			// The column holds a sealed value; an empty one is no token.
			none, err := d.box.Seal(storage.AccessTokenContext(s.Domain, s.WorkspaceID), "")
			if err != nil {
				return fmt.Errorf("disconnect store %d: seal: %w", s.ID, err)
			}
			if _, err := tx.Exec(ctx, `UPDATE stores SET access_token = $1, status = $2, last_error = $3 WHERE id = $4`,
				none, string(domain.StoreDisconnected), message, s.ID); err != nil {
				return fmt.Errorf("disconnect store %d: %w", s.ID, err)
			}
		}
		return nil
	})
	d.changed()
	return err
}

// UpdateStoreScopes records the scopes a shop granted on store
// connections.
func (d *DB) UpdateStoreScopes(ctx context.Context, ids []int64, scopes []string) error {
	defer d.changed()
	for _, id := range ids {
		if _, err := d.pool.Exec(ctx, `UPDATE stores SET scopes = $1 WHERE id = $2`, strings.Join(scopes, ","), id); err != nil {
			return fmt.Errorf("update scopes of store %d: %w", id, err)
		}
	}
	return nil
}

// DeleteStores deletes store connections with their tokens, secrets and
// subscriptions, whatever their workspace: what shop/redact asks for. Once
// a shop has no connection left, the record of its webhook deliveries
// goes too.
func (d *DB) DeleteStores(ctx context.Context, ids []int64) error {
	err := d.inTx(ctx, fmt.Sprintf("delete stores %v", ids), func(tx pgx.Tx) error {
		stores, err := d.storesByIDs(ctx, tx, ids, true)
		if err != nil {
			return fmt.Errorf("delete stores: %w", err)
		}
		for _, s := range stores {
			if _, err := tx.Exec(ctx, `DELETE FROM stores WHERE id = $1`, s.ID); err != nil {
				return fmt.Errorf("delete store %d: %w", s.ID, err)
			}
			if _, err := tx.Exec(ctx, `DELETE FROM webhook_deliveries WHERE shop_domain = $1
				AND NOT EXISTS (SELECT 1 FROM stores WHERE domain = $1)`, s.Domain); err != nil {
				return fmt.Errorf("delete store %d: forget webhook deliveries of %s: %w", s.ID, s.Domain, err)
			}
		}
		return nil
	})
	d.changed()
	return err
}

// StoreStatusCounts counts store connections by status, for metrics.
func (d *DB) StoreStatusCounts(ctx context.Context) (map[string]int, error) {
	rows, err := d.pool.Query(ctx, `SELECT status, count(*) FROM stores GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("count stores by status: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, fmt.Errorf("count stores by status: %w", err)
		}
		out[status] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count stores by status: %w", err)
	}
	return out, nil
}
