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
	if store.Status == domain.StoreDisconnected {
		return nil, domain.Errorf(domain.KindShopifyAuth, "The app was uninstalled from this shop. An admin needs to reconnect the store.")
	}
	res, err := t.src.LookupCustomer(ctx, store, email)
	t.record(ctx, store, err)
	return res, err
}

// LookupOrder calls the source and records what happened, as
// LookupCustomer does. An order Shopify doesn't have says nothing about
// the connection.
func (t *Tracker) LookupOrder(ctx context.Context, store domain.Store, orderID uint64) (*domain.OrderDetail, error) {
	if store.Status == domain.StoreDisconnected {
		return nil, domain.Errorf(domain.KindShopifyAuth, "The app was uninstalled from this shop. An admin needs to reconnect the store.")
	}
	res, err := t.src.LookupOrder(ctx, store, orderID)
	if domain.KindOf(err) != domain.KindNotFound {
		t.record(ctx, store, err)
	}
	return res, err
}

// record writes the store's status after a call, when it changed or is
// worth refreshing.
func (t *Tracker) record(ctx context.Context, store domain.Store, err error) {
	now := t.now()
	status, message := Outcome(store.Status, err)
	write := err != nil || status != store.Status || store.LastError != "" || now.Sub(store.LastOKAt) > okRefresh
	// A timeout says more about this moment than about the store.
	if write && (err == nil || domain.KindOf(err) != domain.KindShopifyTimeout) {
		if rerr := t.rec.RecordStoreResult(context.WithoutCancel(ctx), store.ID, status, message, now); rerr != nil {
			t.logger.Warn("record store status", slog.String("store", store.Domain), slog.String("error", rerr.Error()))
		}
	}
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
