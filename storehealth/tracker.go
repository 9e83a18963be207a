// Package storehealth keeps each store connection's status current. Tracker
// decorates the Shopify client: it sees every real call to Shopify (it sits
// below the cache) and records success, or the status an error implies, so
// the admin pages and metrics show which stores need attention.
package storehealth

import (
	"context"
	"log/slog"
	"time"

	"shopcard/domain"
)

// Source is the decorated lookup: the Shopify client.
type Source interface {
	LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error)
	LookupOrder(ctx context.Context, store domain.Store, orderID uint64) (*domain.OrderDetail, error)
	FindOrders(ctx context.Context, store domain.Store, name string) (*domain.OrderMatches, error)
	SearchProducts(ctx context.Context, store domain.Store, keywords string) (*domain.ProductResults, error)
	ShopDetails(ctx context.Context, store domain.Store) (*domain.ShopDetails, error)
}

// Recorder saves a store's status.
type Recorder interface {
	RecordStoreResult(ctx context.Context, storeID int64, status domain.StoreStatus, lastError string, at time.Time) error
}

// Tracker records the outcome of each Shopify call.
type Tracker struct {
	src    Source
	rec    Recorder
	now    func() time.Time
	logger *slog.Logger
}

// New returns a Tracker around src.
func New(src Source, rec Recorder, now func() time.Time, logger *slog.Logger) *Tracker {
	return &Tracker{src: src, rec: rec, now: now, logger: logger}
}

// okRefresh is how stale last_ok_at may get before a success is written
// again; it keeps a busy store from writing on every cache miss.
const okRefresh = time.Minute

// LookupCustomer calls the source and records what happened. A store whose
// app was uninstalled has no token left to call Shopify with: it fails at
// once, and keeps its status.
func (t *Tracker) LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error) {
	return track(t, ctx, store, func(ctx context.Context) (*domain.CustomerOrders, error) {
		return t.src.LookupCustomer(ctx, store, email)
	})
}

// LookupOrder calls the source and records what happened, as
// LookupCustomer does.
func (t *Tracker) LookupOrder(ctx context.Context, store domain.Store, orderID uint64) (*domain.OrderDetail, error) {
	return track(t, ctx, store, func(ctx context.Context) (*domain.OrderDetail, error) {
		return t.src.LookupOrder(ctx, store, orderID)
	})
}

// FindOrders calls the source and records what happened, as
// LookupCustomer does.
func (t *Tracker) FindOrders(ctx context.Context, store domain.Store, name string) (*domain.OrderMatches, error) {
	return track(t, ctx, store, func(ctx context.Context) (*domain.OrderMatches, error) {
		return t.src.FindOrders(ctx, store, name)
	})
}

// SearchProducts calls the source and records what happened, as
// LookupCustomer does.
func (t *Tracker) SearchProducts(ctx context.Context, store domain.Store, keywords string) (*domain.ProductResults, error) {
	return track(t, ctx, store, func(ctx context.Context) (*domain.ProductResults, error) {
		return t.src.SearchProducts(ctx, store, keywords)
	})
}

// ShopDetails calls the source and records what happened, as
// LookupCustomer does.
func (t *Tracker) ShopDetails(ctx context.Context, store domain.Store) (*domain.ShopDetails, error) {
	return track(t, ctx, store, func(ctx context.Context) (*domain.ShopDetails, error) {
		return t.src.ShopDetails(ctx, store)
	})
}

// track makes one call to Shopify for store and records its outcome as
// the store's status, unless the outcome is that what was asked for is
// not there (KindNotFound).
func track[T any](t *Tracker, ctx context.Context, store domain.Store, call func(context.Context) (T, error)) (T, error) {
	if store.Status == domain.StoreDisconnected {
		var zero T
		return zero, domain.Errorf(domain.KindShopifyAuth, "The app was uninstalled from this shop, so shopcard has no token for it. Install the app again, then reconnect the store on the admin console's stores page.")
	}
	res, err := call(ctx)
	if domain.KindOf(err) == domain.KindNotFound {
		// An order Shopify doesn't have says nothing about the
		// connection.
		return res, err
	}
	now := t.now()
	status, message := Outcome(store.Status, err)
	write := err != nil || status != store.Status || store.LastError != "" || now.Sub(store.LastOKAt) > okRefresh
	// A timeout says more about this moment than about the store.
	if write && (err == nil || domain.KindOf(err) != domain.KindShopifyTimeout) {
		if rerr := t.rec.RecordStoreResult(context.WithoutCancel(ctx), store.ID, status, message, now); rerr != nil {
			t.logger.Warn("record store status", slog.String("store", store.Domain), slog.String("error", rerr.Error()))
		}
	}
	return res, err
}

// Outcome is the status and admin-facing message a call's result implies.
// Errors that say nothing about the connection keep its current status.
func Outcome(current domain.StoreStatus, err error) (domain.StoreStatus, string) {
	if err == nil {
		return domain.StoreHealthy, ""
	}
	message := domain.MessageOf(err)
	if message == "" {
		message = "An unexpected error occurred talking to Shopify."
	}
	switch domain.KindOf(err) {
	case domain.KindShopifyAuth:
		return domain.StoreNeedsReconnect, message
	case domain.KindShopifyFrozen:
		return domain.StoreFrozen, message
	case domain.KindShopifyLocked:
		return domain.StoreLocked, message
	}
	if current == "" {
		current = domain.StoreHealthy
	}
	return current, message
}
