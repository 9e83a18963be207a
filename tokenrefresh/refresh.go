// Package tokenrefresh keeps the access tokens of stores connected with
// OAuth fresh. Keeper decorates the Shopify client like the health tracker
// does: before a call it renews a token that is about to expire, storing
// the rotated refresh token, and when Shopify refuses a token early it
// renews once and retries. A refused refresh marks the store "needs
// reconnect". Custom-app tokens, which never expire, pass straight through.
package tokenrefresh

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"golang.org/x/sync/singleflight"

	"shopcard/domain"
	"shopcard/shopify"
)

// Margin is how long before its expiry a token is renewed, so a call never
// starts with a token about to run out.
const Margin = 5 * time.Minute

// Source is the decorated lookup: the Shopify client.
type Source interface {
	LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error)
	LookupOrder(ctx context.Context, store domain.Store, orderID uint64) (*domain.OrderDetail, error)
}

// Refresher trades a refresh token for new tokens; shopify.OAuth does.
type Refresher interface {
	Refresh(ctx context.Context, shop string, refreshToken domain.Secret) (shopify.Tokens, error)
}

// Stores reads and writes store connections.
type Stores interface {
	StoreByID(ctx context.Context, workspaceID, storeID int64) (domain.Store, error)
	SaveStoreTokens(ctx context.Context, s domain.Store) error
	RecordStoreResult(ctx context.Context, storeID int64, status domain.StoreStatus, lastError string, at time.Time) error
}

// Keeper renews expiring tokens around each lookup.
type Keeper struct {
	src    Source
	oauth  Refresher // nil when no Shopify app is configured
	stores Stores
	now    func() time.Time
	logger *slog.Logger
	group  singleflight.Group
}

// New returns a Keeper around src. oauth may be nil when the operator has
// configured no Shopify app; OAuth stores then need reconnecting once their
// token runs out.
func New(src Source, oauth Refresher, stores Stores, now func() time.Time, logger *slog.Logger) *Keeper {
	return &Keeper{src: src, oauth: oauth, stores: stores, now: now, logger: logger}
}

// LookupCustomer looks up with a fresh token.
func (k *Keeper) LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error) {
	fresh, err := k.Fresh(ctx, store)
	if err != nil {
		return nil, err
	}
	res, err := k.src.LookupCustomer(ctx, fresh, email)
	if err != nil && fresh.Expiring() && domain.KindOf(err) == domain.KindShopifyAuth {
		// Refused before its time: revoked, or the clocks disagree. One
		// renewal tells which.
		renewed, rerr := k.renew(ctx, fresh, true)
		if rerr != nil {
			return nil, rerr
		}
		return k.src.LookupCustomer(ctx, renewed, email)
	}
	return res, err
}

// LookupOrder looks an order up with a fresh token, renewing once when
// Shopify refuses the token before its time, as LookupCustomer does.
func (k *Keeper) LookupOrder(ctx context.Context, store domain.Store, orderID uint64) (*domain.OrderDetail, error) {
	fresh, err := k.Fresh(ctx, store)
	if err != nil {
		return nil, err
	}
	res, err := k.src.LookupOrder(ctx, fresh, orderID)
	if err != nil && fresh.Expiring() && domain.KindOf(err) == domain.KindShopifyAuth {
		renewed, rerr := k.renew(ctx, fresh, true)
		if rerr != nil {
			return nil, rerr
		}
		return k.src.LookupOrder(ctx, renewed, orderID)
	}
	return res, err
}

// Fresh returns the store with an access token good for at least Margin,
// renewing it first if needed.
func (k *Keeper) Fresh(ctx context.Context, store domain.Store) (domain.Store, error) {
	if k.usable(store) {
		return store, nil
	}
	return k.renew(ctx, store, false)
}

func (k *Keeper) usable(s domain.Store) bool {
	return !s.Expiring() || k.now().Add(Margin).Before(s.AccessTokenExpiresAt)
}

// renew refreshes a store's tokens, once however many callers ask at the
// same time: a refresh token is spent by its first use, so two concurrent
// refreshes would leave one caller holding a retired token.
func (k *Keeper) renew(ctx context.Context, stale domain.Store, force bool) (domain.Store, error) {
	v, err, _ := k.group.Do(strconv.FormatInt(stale.ID, 10), func() (any, error) {
		// A renewal runs on even if the caller that started it gives up:
		// Shopify may already have rotated the refresh token.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shopify.CallTimeout)
		defer cancel()
		// The caller's copy may predate a renewal that just finished; the
		// database has the latest tokens.
		current, err := k.stores.StoreByID(ctx, stale.WorkspaceID, stale.ID)
		if err != nil {
			return domain.Store{}, err
		}
		renewedMeanwhile := current.AccessToken.Reveal() != stale.AccessToken.Reveal()
		if k.usable(current) && (!force || renewedMeanwhile) {
			return current, nil
		}
		if k.oauth == nil {
			return domain.Store{}, k.refused(ctx, current, domain.Errorf(domain.KindShopifyAuth,
				"This store's access token has expired and no Shopify app is configured to renew it (SHOPCARD_SHOPIFY_CLIENT_ID and SHOPCARD_SHOPIFY_CLIENT_SECRET). Configure the app, or reconnect the store with an access token."))
		}
		if current.RefreshToken.IsZero() || (!current.RefreshTokenExpiresAt.IsZero() && !k.now().Before(current.RefreshTokenExpiresAt)) {
			return domain.Store{}, k.refused(ctx, current, domain.Errorf(domain.KindShopifyAuth,
				"This store's refresh token has expired, so its access can't be renewed. An admin needs to reconnect the store."))
		}
		tokens, err := k.oauth.Refresh(ctx, current.Domain, current.RefreshToken)
		if err != nil {
			if domain.KindOf(err) == domain.KindShopifyAuth {
				return domain.Store{}, k.refused(ctx, current, err)
			}
			return domain.Store{}, err
		}
		current.AccessToken = tokens.AccessToken
		if !tokens.RefreshToken.IsZero() {
			current.RefreshToken = tokens.RefreshToken
		}
		current.AccessTokenExpiresAt = tokens.AccessTokenExpiresAt
		if !tokens.RefreshTokenExpiresAt.IsZero() {
			current.RefreshTokenExpiresAt = tokens.RefreshTokenExpiresAt
		}
		if err := k.stores.SaveStoreTokens(ctx, current); err != nil {
			// Shopify keeps the previous refresh token usable until its
			// replacement is used, so the next renewal can recover.
			k.logger.Error("save refreshed tokens", slog.String("store", current.Domain), slog.String("error", err.Error()))
			return domain.Store{}, err
		}
		k.logger.Info("renewed access token", slog.String("store", current.Domain), slog.Time("expires", current.AccessTokenExpiresAt))
		return current, nil
	})
	if err != nil {
		return domain.Store{}, err
	}
	return v.(domain.Store), nil
}

// refused marks a store as needing reconnection and returns err.
func (k *Keeper) refused(ctx context.Context, s domain.Store, err error) error {
	message := domain.MessageOf(err)
	if rerr := k.stores.RecordStoreResult(ctx, s.ID, domain.StoreNeedsReconnect, message, k.now()); rerr != nil {
		k.logger.Warn("record store status", slog.String("store", s.Domain), slog.String("error", rerr.Error()))
	}
	return err
}
