package storehealth

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"shopcard/domain"
)

type stubSource struct{ err error }

func (s stubSource) LookupOrder(context.Context, domain.Store, uint64) (*domain.OrderDetail, error) {
	return &domain.OrderDetail{}, s.err
}

func (s stubSource) LookupCustomer(context.Context, domain.Store, string) (*domain.CustomerOrders, error) {
	if s.err != nil {
		return nil, s.err
	}
	return &domain.CustomerOrders{}, nil
}

type countingSource struct{ calls int }

func (s *countingSource) LookupOrder(context.Context, domain.Store, uint64) (*domain.OrderDetail, error) {
	s.calls++
	return &domain.OrderDetail{}, nil
}

func (s *countingSource) LookupCustomer(context.Context, domain.Store, string) (*domain.CustomerOrders, error) {
	s.calls++
	return &domain.CustomerOrders{}, nil
}

// The other lookups share track with LookupCustomer; the stubs answer them
// the same way.
func (s stubSource) FindOrders(context.Context, domain.Store, string) (*domain.OrderMatches, error) {
	return &domain.OrderMatches{}, s.err
}
func (s stubSource) SearchProducts(context.Context, domain.Store, string) (*domain.ProductResults, error) {
	return &domain.ProductResults{}, s.err
}
func (s stubSource) ShopDetails(context.Context, domain.Store) (*domain.ShopDetails, error) {
	return &domain.ShopDetails{}, s.err
}
func (s *countingSource) FindOrders(context.Context, domain.Store, string) (*domain.OrderMatches, error) {
	s.calls++
	return &domain.OrderMatches{}, nil
}
func (s *countingSource) SearchProducts(context.Context, domain.Store, string) (*domain.ProductResults, error) {
	s.calls++
	return &domain.ProductResults{}, nil
}
func (s *countingSource) ShopDetails(context.Context, domain.Store) (*domain.ShopDetails, error) {
	s.calls++
	return &domain.ShopDetails{}, nil
}

type record struct {
	status domain.StoreStatus
	msg    string
}

type recorder struct{ got []record }

func (r *recorder) RecordStoreResult(_ context.Context, _ int64, status domain.StoreStatus, msg string, _ time.Time) error {
	r.got = append(r.got, record{status, msg})
	return nil
}

func TestTracker(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	healthy := domain.Store{ID: 1, Status: domain.StoreHealthy, LastOKAt: now.Add(-10 * time.Second)}
	tests := []struct {
		name   string
		store  domain.Store
		err    error
		writes []domain.StoreStatus
	}{
		{"recent success writes nothing", healthy, nil, nil},
		{"stale success refreshes last_ok_at", domain.Store{ID: 1, Status: domain.StoreHealthy, LastOKAt: now.Add(-time.Hour)}, nil, []domain.StoreStatus{domain.StoreHealthy}},
		{"recovery clears the status", domain.Store{ID: 1, Status: domain.StoreNeedsReconnect, LastOKAt: now.Add(-time.Hour)}, nil, []domain.StoreStatus{domain.StoreHealthy}},
		{"401 needs reconnect", healthy, domain.Errorf(domain.KindShopifyAuth, "rejected (401)"), []domain.StoreStatus{domain.StoreNeedsReconnect}},
		{"402 frozen", healthy, domain.Errorf(domain.KindShopifyFrozen, "frozen (402)"), []domain.StoreStatus{domain.StoreFrozen}},
		{"423 locked", healthy, domain.Errorf(domain.KindShopifyLocked, "locked (423)"), []domain.StoreStatus{domain.StoreLocked}},
		{"5xx keeps the status, records the error", healthy, domain.Errorf(domain.KindShopifyUnavailable, "trouble (503)"), []domain.StoreStatus{domain.StoreHealthy}},
		{"a timeout is not the store's fault", healthy, domain.Errorf(domain.KindShopifyTimeout, "slow"), nil},
		{"what isn't there says nothing about the connection", domain.Store{ID: 1, Status: domain.StoreHealthy, LastOKAt: now.Add(-time.Hour), LastError: "earlier"},
			domain.Errorf(domain.KindNotFound, "This order isn't in the store any more."), nil},
	}
	t.Run("a disconnected store is not called and stays disconnected", func(t *testing.T) {
		rec := &recorder{}
		src := &countingSource{}
		tr := New(src, rec, func() time.Time { return now }, slog.New(slog.NewTextHandler(io.Discard, nil)))
		_, err := tr.LookupCustomer(context.Background(), domain.Store{ID: 1, Status: domain.StoreDisconnected}, "a@b.co")
		if domain.KindOf(err) != domain.KindShopifyAuth || src.calls != 0 || len(rec.got) != 0 {
			t.Errorf("err %v, %d calls, wrote %v", err, src.calls, rec.got)
		}
	})
	// Every lookup records its outcome the same way.
	lookups := map[string]func(*Tracker, domain.Store) error{
		"customer": func(tr *Tracker, s domain.Store) error {
			_, err := tr.LookupCustomer(context.Background(), s, "a@b.co")
			return err
		},
		"orders": func(tr *Tracker, s domain.Store) error {
			_, err := tr.FindOrders(context.Background(), s, "1042")
			return err
		},
		"products": func(tr *Tracker, s domain.Store) error {
			_, err := tr.SearchProducts(context.Background(), s, "jacket")
			return err
		},
		"shop": func(tr *Tracker, s domain.Store) error { _, err := tr.ShopDetails(context.Background(), s); return err },
		"detail": func(tr *Tracker, s domain.Store) error {
			_, err := tr.LookupOrder(context.Background(), s, 42)
			return err
		},
	}
	for _, tt := range tests {
		for lookup, call := range lookups {
			t.Run(tt.name+"/"+lookup, func(t *testing.T) {
				rec := &recorder{}
				tr := New(stubSource{tt.err}, rec, func() time.Time { return now }, slog.New(slog.NewTextHandler(io.Discard, nil)))
				err := call(tr, tt.store)
				if err != tt.err {
					t.Errorf("error changed: %v", err)
				}
				if len(rec.got) != len(tt.writes) {
					t.Fatalf("wrote %v, want %v", rec.got, tt.writes)
				}
				for i, w := range tt.writes {
					if rec.got[i].status != w {
						t.Errorf("status %q, want %q", rec.got[i].status, w)
					}
					if (tt.err == nil) != (rec.got[i].msg == "") {
						t.Errorf("message %q for err %v", rec.got[i].msg, tt.err)
					}
				}
			})
		}
	}
}
