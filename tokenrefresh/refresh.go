// Package tokenrefresh keeps the access tokens of stores whose tokens
// expire fresh: those connected with OAuth, renewed with their rotating
// refresh token, and those connected with a Dev Dashboard app, renewed
// with the app's client credentials. Keeper decorates the Shopify client
// like the health tracker does: before a call it renews a token that is
// about to expire, and when Shopify refuses a renewable store's token
// early it renews once and retries. A refused renewal marks the store
// "needs reconnect" with what to do. Custom-app tokens, which never
// expire, pass straight through.
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
	FindOrders(ctx context.Context, store domain.Store, name string) (*domain.OrderMatches, error)
	SearchProducts(ctx context.Context, store domain.Store, keywords string) (*domain.ProductResults, error)
	ShopDetails(ctx context.Context, store domain.Store) (*domain.ShopDetails, error)
}

// Refresher trades a refresh token for new tokens; shopify.OAuth does.
type Refresher interface {
	Refresh(ctx context.Context, shop string, refreshToken domain.Secret) (shopify.Tokens, error)
}

// Granter gets a Dev Dashboard app a token with its client credentials;
// shopify.ClientCredentials does.
type Granter interface {
	Grant(ctx context.Context, shop, clientID string, secret domain.Secret) (shopify.Tokens, error)
}

// Stores reads and writes store connections.
type Stores interface {
	StoreByID(ctx context.Context, workspaceID, storeID int64) (domain.Store, error)
	SaveStoreTokens(ctx context.Context, s domain.Store) error
	RecordStoreResult(ctx context.Context, storeID int64, status domain.StoreStatus, lastError string, at time.Time) error
}

// RenewalLock makes one process at a time renew a store's tokens:
// singleflight does it within a process, and on PostgreSQL, where several
// replicas share the store, an advisory lock does it across them. A
// rotating refresh token is spent by its first use, so two replicas
// refreshing at once would leave one of them, and maybe the database,
// with a retired token.
type RenewalLock interface {
	LockRenewal(ctx context.Context, storeID int64) (unlock func(), err error)
}

// Keeper renews expiring tokens around each call to Shopify.
type Keeper struct {
	// Lock, when set, is held around each renewal, so replicas take
	// turns; the one that comes second finds the tokens renewed.
	Lock RenewalLock

	src    Source
	oauth  Refresher // nil when no Shopify app is configured
	grants Granter
	stores Stores
	now    func() time.Time
	logger *slog.Logger
	group  singleflight.Group
}

// New returns a Keeper around src. oauth may be nil when the operator has
// configured no Shopify app; OAuth stores then need reconnecting once their
// token runs out. grants renews Dev Dashboard apps' tokens, which need no
// app of the operator's.
func New(src Source, oauth Refresher, grants Granter, stores Stores, now func() time.Time, logger *slog.Logger) *Keeper {
	return &Keeper{src: src, oauth: oauth, grants: grants, stores: stores, now: now, logger: logger}
}

// LookupCustomer looks up with a fresh token.
func (k *Keeper) LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error) {
	return withFreshToken(k, ctx, store, func(s domain.Store) (*domain.CustomerOrders, error) {
		return k.src.LookupCustomer(ctx, s, email)
	})
}

// LookupOrder looks an opened order up with a fresh token.
func (k *Keeper) LookupOrder(ctx context.Context, store domain.Store, orderID uint64) (*domain.OrderDetail, error) {
	return withFreshToken(k, ctx, store, func(s domain.Store) (*domain.OrderDetail, error) {
		return k.src.LookupOrder(ctx, s, orderID)
	})
}

// FindOrders finds orders by name with a fresh token.
func (k *Keeper) FindOrders(ctx context.Context, store domain.Store, name string) (*domain.OrderMatches, error) {
	return withFreshToken(k, ctx, store, func(s domain.Store) (*domain.OrderMatches, error) {
		return k.src.FindOrders(ctx, s, name)
	})
}

// SearchProducts searches products with a fresh token.
func (k *Keeper) SearchProducts(ctx context.Context, store domain.Store, keywords string) (*domain.ProductResults, error) {
	return withFreshToken(k, ctx, store, func(s domain.Store) (*domain.ProductResults, error) {
		return k.src.SearchProducts(ctx, s, keywords)
	})
}

// ShopDetails reads the shop with a fresh token.
func (k *Keeper) ShopDetails(ctx context.Context, store domain.Store) (*domain.ShopDetails, error) {
	return withFreshToken(k, ctx, store, func(s domain.Store) (*domain.ShopDetails, error) {
		return k.src.ShopDetails(ctx, s)
	})
}

// withFreshToken is Do for a call that answers with a value.
func withFreshToken[T any](k *Keeper, ctx context.Context, store domain.Store, call func(domain.Store) (T, error)) (T, error) {
	var res T
	err := k.Do(ctx, store, func(fresh domain.Store) error {
		var err error
		res, err = call(fresh)
		return err
	})
	return res, err
}

// Do calls Shopify through call with the store's token made fresh first.
// When Shopify refuses a renewable store's token before its time (401:
// revoked, the clocks disagree, or a Dev Dashboard token that was never
// given an expiry), the token is renewed once and call runs again with
// the new one. The admin console's connection test and webhook
// subscriptions, and the CLI, go through it as lookups do.
func (k *Keeper) Do(ctx context.Context, store domain.Store, call func(domain.Store) error) error {
	fresh, err := k.Fresh(ctx, store)
	if err != nil {
		return err
	}
	err = call(fresh)
	if err != nil && fresh.Renewable() && domain.KindOf(err) == domain.KindShopifyAuth {
		renewed, rerr := k.renew(ctx, fresh, true)
		if rerr != nil {
			return rerr
		}
		return call(renewed)
	}
	return err
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

// renew renews a store's tokens, once however many callers ask at the
// same time: a refresh token is spent by its first use, so two concurrent
// refreshes would leave one caller holding a retired token, and a Dev
// Dashboard app need not ask Shopify twice for the same token.
func (k *Keeper) renew(ctx context.Context, stale domain.Store, force bool) (domain.Store, error) {
	v, err, _ := k.group.Do(strconv.FormatInt(stale.ID, 10), func() (any, error) {
		// A renewal runs on even if the caller that started it gives up:
		// Shopify may already have rotated the refresh token.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shopify.CallTimeout)
		defer cancel()
		if k.Lock != nil {
			unlock, err := k.Lock.LockRenewal(ctx, stale.ID)
			if err != nil {
				return domain.Store{}, err
			}
			defer unlock()
		}
		// The caller's copy may predate a renewal that just finished, here
		// or on another replica; the database has the latest tokens.
		current, err := k.stores.StoreByID(ctx, stale.WorkspaceID, stale.ID)
		if err != nil {
			return domain.Store{}, err
		}
		renewedMeanwhile := current.AccessToken.Reveal() != stale.AccessToken.Reveal()
		if k.usable(current) && (!force || renewedMeanwhile) {
			return current, nil
		}
		var tokens shopify.Tokens
		switch current.TokenKind {
		case domain.TokenClientCredentials:
			tokens, err = k.grant(ctx, current)
		default:
			tokens, err = k.refresh(ctx, current)
		}
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
		current.TokenRenewedAt = k.now()
		if err := k.stores.SaveStoreTokens(ctx, current); err != nil {
			// Shopify keeps the previous refresh token usable until its
			// replacement is used, and a Dev Dashboard app can always ask
			// again, so the next renewal can recover.
			k.logger.Error("save renewed tokens", slog.String("store", current.Domain), slog.String("error", err.Error()))
			return domain.Store{}, err
		}
		k.logger.Info("renewed access token", slog.String("store", current.Domain), slog.String("kind", string(current.TokenKind)),
			slog.Time("expires", current.AccessTokenExpiresAt))
		return current, nil
	})
	if err != nil {
		return domain.Store{}, err
	}
	return v.(domain.Store), nil
}

// refresh renews an OAuth store's tokens with its refresh token.
func (k *Keeper) refresh(ctx context.Context, s domain.Store) (shopify.Tokens, error) {
	if k.oauth == nil {
		return shopify.Tokens{}, domain.Errorf(domain.KindShopifyAuth,
			"This store's access token has expired and no Shopify app is configured to renew it (SHOPCARD_SHOPIFY_CLIENT_ID and SHOPCARD_SHOPIFY_CLIENT_SECRET). Configure the app, or replace the connection with a Dev Dashboard app or an access token.")
	}
	if s.RefreshToken.IsZero() || (!s.RefreshTokenExpiresAt.IsZero() && !k.now().Before(s.RefreshTokenExpiresAt)) {
		return shopify.Tokens{}, domain.Errorf(domain.KindShopifyAuth,
			"This store's refresh token has expired, so its access can't be renewed. Connect the store with Shopify again below.")
	}
	return k.oauth.Refresh(ctx, s.Domain, s.RefreshToken)
}

// grant gets a Dev Dashboard app's store a new token with the app's client
// credentials.
func (k *Keeper) grant(ctx context.Context, s domain.Store) (shopify.Tokens, error) {
	if k.grants == nil || s.ClientID == "" || s.ClientSecret.IsZero() {
		return shopify.Tokens{}, domain.Errorf(domain.KindShopifyAuth,
			"shopcard has no client ID and secret for this Dev Dashboard app, so its token can't be renewed. Enter them below (Replace credentials).")
	}
	return k.grants.Grant(ctx, s.Domain, s.ClientID, s.ClientSecret)
}

// refused marks a store as needing reconnection and returns err.
func (k *Keeper) refused(ctx context.Context, s domain.Store, err error) error {
	message := domain.MessageOf(err)
	if rerr := k.stores.RecordStoreResult(ctx, s.ID, domain.StoreNeedsReconnect, message, k.now()); rerr != nil {
		k.logger.Warn("record store status", slog.String("store", s.Domain), slog.String("error", rerr.Error()))
	}
	return err
}
