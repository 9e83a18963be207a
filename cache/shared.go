package cache

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"shopcard/domain"
)

// SharedStale keeps the last good answers where every replica finds them,
// instead of this process's memory: postgres.StaleAnswers, byte-bounded
// and expiring like the memory it replaces. A replica whose Shopify call
// fails then shows the answer another replica fetched, and a purge on any
// replica (a redaction, a disconnection) removes it for all.
type SharedStale interface {
	// KeepStale saves r, unless the store's answers were purged since
	// r.Started.
	KeepStale(ctx context.Context, r StaleRecord) error
	// StaleAnswer returns the record under key, if one is kept and has not
	// expired.
	StaleAnswer(ctx context.Context, key string) (StaleRecord, bool, error)
	// PurgeStale removes the records of the stores that m selects (every
	// record of theirs when all), as Match.selects does in memory.
	PurgeStale(ctx context.Context, storeIDs []int64, all bool, m domain.AnswerMatch) error
}

// StaleRecord is one last good answer as a SharedStale keeps it.
type StaleRecord = domain.StaleAnswer

// sharedTimeout bounds a read or write of a shared last good answer, even
// for a caller whose own deadline passed (it is waiting for exactly that
// answer).
const sharedTimeout = 2 * time.Second

// staleRecord describes an answer for a SharedStale.
func staleRecord(key string, store domain.Store, email string, answer any) (StaleRecord, error) {
	r := StaleRecord{Key: key, StoreID: store.ID, Email: email}
	switch v := answer.(type) {
	case *domain.CustomerOrders:
		r.Kind = "customer"
		if v.Customer != nil {
			r.CustomerIDs = append(r.CustomerIDs, v.Customer.LegacyResourceID)
		}
		for _, orders := range [][]domain.Order{v.Orders, v.GuestOrders} {
			for i := range orders {
				r.OrderIDs = append(r.OrderIDs, orders[i].LegacyResourceID)
			}
		}
	case *domain.OrderMatches:
		r.Kind = "orders"
		for _, f := range v.Orders {
			r.OrderIDs = append(r.OrderIDs, f.Order.LegacyResourceID)
			if f.CustomerID != 0 {
				r.CustomerIDs = append(r.CustomerIDs, f.CustomerID)
			}
			for _, e := range []string{f.Email, f.CustomerEmail} {
				if e != "" {
					r.Emails = append(r.Emails, strings.ToLower(e))
				}
			}
		}
	case *domain.ProductResults:
		r.Kind = "products"
	case *domain.ShopDetails:
		r.Kind = "shop"
	default:
		return StaleRecord{}, fmt.Errorf("cache: no shared form for %T", answer)
	}
	b, err := json.Marshal(answer)
	if err != nil {
		return StaleRecord{}, fmt.Errorf("cache: encode %s answer: %w", r.Kind, err)
	}
	r.Answer = b
	return r, nil
}

// decodeStale turns a kept record back into its answer.
func decodeStale(r StaleRecord) (any, error) {
	var v any
	switch r.Kind {
	case "customer":
		v = &domain.CustomerOrders{}
	case "orders":
		v = &domain.OrderMatches{}
	case "products":
		v = &domain.ProductResults{}
	case "shop":
		v = &domain.ShopDetails{}
	default:
		return nil, fmt.Errorf("cache: a last good answer of unknown kind %q", r.Kind)
	}
	if err := json.Unmarshal(r.Answer, v); err != nil {
		return nil, fmt.Errorf("cache: decode %s answer: %w", r.Kind, err)
	}
	return v, nil
}

// keepShared saves a fresh answer as the last good one in the shared
// store. A failure costs only that answer's use as a last good one.
func (l *Lookup) keepShared(key string, store domain.Store, email string, answer any, started time.Time) {
	r, err := staleRecord(key, store, email, answer)
	if err == nil {
		r.Started, r.TTL = started, l.staleTTL
		ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
		err = l.shared.KeepStale(ctx, r)
		cancel()
	}
	if err != nil && l.logger != nil {
		l.logger.Warn("keep a last good answer", "store", store.Domain, "error", err.Error())
	}
}

// sharedStale reads the last good answer under key from the shared store.
func (l *Lookup) sharedStale(key string) (any, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	r, ok, err := l.shared.StaleAnswer(ctx, key)
	if err == nil && ok {
		var v any
		if v, err = decodeStale(r); err == nil {
			return v, true
		}
	}
	if err != nil && l.logger != nil {
		l.logger.Warn("read a last good answer", "error", err.Error())
	}
	return nil, false
}

// purgeShared removes purged answers from the shared store.
func (l *Lookup) purgeShared(storeIDs []int64, all bool, m Match) {
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	if err := l.shared.PurgeStale(ctx, storeIDs, all, domain.AnswerMatch{Emails: m.Emails, CustomerIDs: m.CustomerIDs, OrderIDs: m.OrderIDs}); err != nil && l.logger != nil {
		l.logger.Error("purge last good answers", "error", err.Error())
	}
}
