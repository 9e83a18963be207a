package shopify

import (
	"context"
	"slices"
	"sync"
	"time"

	"shopcard/domain"
)

// A contact with several emails is looked up in each store once per
// email, all at once, each through the cache (its own entry, its own
// shared call), token renewal and health tracking. The misses among them
// reach the client at the same moment, and WithContactEmails lets it send
// them as one request: the first to arrive waits for the others, for at
// most batchWindow, and sends a document with every email that joined
// (several documents when more than maxEmailsPerDocument did). A batch
// whose every email has joined goes at once; emails answered from the
// cache never join, so the window is what the first miss waits for them.
const batchWindow = 3 * time.Millisecond

type contactEmailsKey struct{}

// contactEmails is one sidebar section's set of emails, made once per
// section, so that only that section's lookups are batched together.
type contactEmails struct {
	emails []string
}

// WithContactEmails marks ctx as carrying a lookup of each of emails, in
// each store, at the same time. Lookups under it of those emails to one
// store share requests.
func WithContactEmails(ctx context.Context, emails []string) context.Context {
	if len(emails) < 2 {
		return ctx
	}
	return context.WithValue(ctx, contactEmailsKey{}, &contactEmails{emails: slices.Clone(emails)})
}

// batchOf is the set of emails email is looked up with, or nil.
func batchOf(ctx context.Context, email string) *contactEmails {
	b, _ := ctx.Value(contactEmailsKey{}).(*contactEmails)
	if b == nil || !slices.Contains(b.emails, email) {
		return nil
	}
	return b
}

// batchKey is one section's lookups in one store with one token.
type batchKey struct {
	set   *contactEmails
	shop  string
	token string
}

// pendingBatch collects the lookups of one batchKey until it is sent.
type pendingBatch struct {
	store   domain.Store
	emails  []string
	waiters []chan emailResult
	full    chan struct{} // closed once every email of the set has joined
	isFull  bool
}

// joinBatch adds email's lookup to its section's pending batch for store,
// starting one if none is pending, and waits for its share of the answer.
func (c *Client) joinBatch(ctx context.Context, set *contactEmails, store domain.Store, email string) (*domain.CustomerOrders, error) {
	key := batchKey{set: set, shop: store.Domain, token: store.AccessToken.Reveal()}
	ch := make(chan emailResult, 1)
	c.batchesMu.Lock()
	if c.batches == nil {
		c.batches = map[batchKey]*pendingBatch{}
	}
	b := c.batches[key]
	leader := b == nil
	if leader {
		b = &pendingBatch{store: store, full: make(chan struct{})}
		c.batches[key] = b
	}
	b.emails = append(b.emails, email)
	b.waiters = append(b.waiters, ch)
	if len(b.emails) >= len(set.emails) && !b.isFull {
		b.isFull = true
		close(b.full)
	}
	c.batchesMu.Unlock()

	if leader {
		t := time.NewTimer(batchWindow)
		select {
		case <-b.full:
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
		c.batchesMu.Lock()
		delete(c.batches, key)
		emails, waiters := b.emails, b.waiters
		c.batchesMu.Unlock()
		go c.sendBatch(ctx, b.store, emails, waiters)
	}
	select {
	case r := <-ch:
		return r.answer, r.err
	case <-ctx.Done():
		return nil, domain.Wrap(domain.KindShopifyTimeout, ctx.Err(), "Shopify did not answer in time")
	}
}

// sendBatch looks the batch's emails up, as few documents as the cap
// allows, all at once, and hands each waiter its share. It runs under the
// first lookup's deadline (a section's lookups share one), but not its
// cancellation: that lookup returns, and its context ends, as soon as its
// own document is answered, while another may still be in flight.
func (c *Client) sendBatch(ctx context.Context, store domain.Store, emails []string, waiters []chan emailResult) {
	detached := context.WithoutCancel(ctx)
	cancel := func() {}
	if deadline, ok := ctx.Deadline(); ok {
		detached, cancel = context.WithDeadline(detached, deadline)
	}
	defer cancel()
	ctx = detached
	var wg sync.WaitGroup
	for start := 0; start < len(emails); start += maxEmailsPerDocument {
		end := min(start+maxEmailsPerDocument, len(emails))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, r := range c.lookupEmails(ctx, store, emails[start:end]) {
				waiters[start+i] <- r
			}
		}()
	}
	wg.Wait()
}
