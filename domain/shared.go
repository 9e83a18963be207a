package domain

import "time"

// What replicas on PostgreSQL share besides the database's own rows: the
// last good answers and the last refused webhook delivery of each shop.
// The types live here so that the storage adapter need not import the
// packages that use them (cache, webhooks).

// StaleAnswer is one last good answer as a shared store keeps it: the
// answer as JSON, and what an eviction selects it by.
type StaleAnswer struct {
	Key     string
	StoreID int64
	// Email is the email looked up ("" for other questions); Emails are
	// the order and customer emails an order lookup found, lowercased.
	Email       string
	Emails      []string
	CustomerIDs []uint64
	OrderIDs    []uint64
	Kind        string // "customer", "orders", "products" or "shop"
	Answer      []byte // JSON
	// Started is when the call that fetched the answer began; TTL is how
	// long the answer is kept.
	Started time.Time
	TTL     time.Duration
}

// AnswerMatch selects answers by what they are about, as cache.Match
// does: the emails looked up, customers and orders by legacy ID.
type AnswerMatch struct {
	Emails      []string
	CustomerIDs []uint64
	OrderIDs    []uint64
}

// RefusedDelivery is a webhook delivery no key verified, kept to prove a
// signing secret saved later.
type RefusedDelivery struct {
	Body  []byte
	HMAC  string
	Topic string
	At    time.Time
}
