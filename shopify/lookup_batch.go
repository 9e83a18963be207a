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
// reach the client at about the same moment, and WithContactEmails lets it
// send them as one request: the first to arrive waits until every other
// email of the section has either joined it or been answered without
// Shopify (from the cache, say), which the caller reports through the
// done function WithContactEmails returns. So the batch does not depend on
// how fast the machine schedules the lookups. It then sends one document
// with every email that joined (several when more than
// maxEmailsPerDocument did). DefaultBatchWait (Options.BatchWait) bounds
// that wait for an email that is neither: one sharing another section's
// call to Shopify, which may take a round trip to return.
const DefaultBatchWait = 50 * time.Millisecond

type contactEmailsKey struct{}

// contactEmails is one sidebar section's set of emails in one store, made
// once per section, so that only that section's lookups are batched
// together. It knows which have joined a batch and which were answered
// without one.
type contactEmails struct {
	emails []string

	mu      sync.Mutex
	settled map[string]bool // joined a batch, or returned without one
	full    chan struct{}   // closed once every email is settled
}

// WithContactEmails marks ctx as carrying a lookup of each of emails, in
// one store, at the same time: lookups under it of those emails share
// requests. The caller calls done with each email once its lookup has
// returned, whatever the outcome.
func WithContactEmails(ctx context.Context, emails []string) (context.Context, func(email string)) {
	if len(emails) < 2 {
		return ctx, func(string) {}
	}
	distinct := slices.Clone(emails)
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	set := &contactEmails{emails: distinct, settled: map[string]bool{}, full: make(chan struct{})}
	return context.WithValue(ctx, contactEmailsKey{}, set), set.settle
}

// settle marks email's lookup as joined or answered. The first time every
// email of the set is settled, the batch waiting for them goes.
func (s *contactEmails) settle(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.settled[email] || !slices.Contains(s.emails, email) {
		return
	}
	s.settled[email] = true
	if len(s.settled) == len(s.emails) {
		close(s.full)
	}
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
		b = &pendingBatch{store: store}
		c.batches[key] = b
	}
	b.emails = append(b.emails, email)
	b.waiters = append(b.waiters, ch)
	c.batchesMu.Unlock()
	set.settle(email)

	if leader {
		t := time.NewTimer(c.batchWait)
		select {
		case <-set.full:
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
