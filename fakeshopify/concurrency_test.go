package fakeshopify

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"shopcard/shopify"
)

// TestConcurrentUse runs queries while data, faults and tokens change; run
// with -race, it proves the server is safe to drive from a test while a
// product under test queries it.
func TestConcurrentUse(t *testing.T) {
	s, ts, clock := startSeeded(t)
	priya, _ := s.CustomerByEmail(AcmeDomain, EmailOneOrder)
	order := s.Orders(AcmeDomain, priya.ID)[0]

	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 8 {
		wg.Go(func() {
			c := client(ts, AcmeDomain, AcmeToken)
			for range 10 {
				// Any Shopify answer is fine here, faults included; only
				// transport failures and garbled responses are not.
				_, err := shopify.CustomerWithOrders(context.Background(), c, EmailOneOrder)
				if err != nil && !isShopifyAnswer(err) {
					errs <- fmt.Errorf("worker %d: %w", i, err)
				}
			}
		})
	}
	wg.Go(func() {
		for j := range 20 {
			clock.Advance(time.Second)
			_, _ = s.UpdateCustomer(AcmeDomain, priya.ID, func(c *Customer) { c.Tags = append(c.Tags, fmt.Sprint(j)) })
			_, _ = s.UpdateOrder(AcmeDomain, order.ID, func(o *Order) { o.LineItems[0].Quantity = j + 1 })
			_ = s.SetFaults(AcmeDomain, Faults{WithholdProtectedData: j%2 == 0, ThrottleNext: j % 3})
			_ = s.RevokeToken(AcmeDomain, AcmeTokenOrdersOnly)
			_ = s.Requests(AcmeDomain)
			_, _ = s.ThrottleStatus(AcmeDomain)
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := s.Requests(AcmeDomain); n != 80 {
		t.Errorf("counted %d requests, want 80", n)
	}
}
