package domain

import (
	"errors"
	"fmt"
)

// Kind classifies an error so that the HTTP layer can map it to a status and
// a safe message in one place, and the CLI can print the right advice.
type Kind int

// The kinds of error shopcard distinguishes.
const (
	KindInternal Kind = iota // a bug or an unexpected failure: log it, say little
	KindInvalid              // the caller sent something malformed
	KindUnauthorized
	KindForbidden
	KindNotFound
	KindConflict
	KindTooManyRequests

	// Shopify answered, but not with data.
	KindShopifyAuth         // 401: token revoked or wrong; the store needs reconnecting
	KindShopifyFrozen       // 402: the shop is frozen (unpaid bill)
	KindShopifyForbidden    // 403: a scope is missing
	KindShopifyGone         // 404: the shop no longer exists
	KindShopifyLocked       // 423: the shop is locked
	KindShopifyThrottled    // THROTTLED or 429 after our retries ran out
	KindShopifyUnavailable  // 5xx, network failure or an answer we could not read
	KindShopifyTimeout      // our deadline ran out before Shopify answered
	KindShopifyQueryInvalid // Shopify rejected the query itself (our bug)

	KindTooLarge // the caller sent more than the request may carry
)

var kindNames = map[Kind]string{
	KindInternal:            "internal",
	KindInvalid:             "invalid",
	KindUnauthorized:        "unauthorized",
	KindForbidden:           "forbidden",
	KindNotFound:            "not_found",
	KindConflict:            "conflict",
	KindTooManyRequests:     "too_many_requests",
	KindShopifyAuth:         "shopify_auth",
	KindShopifyFrozen:       "shopify_frozen",
	KindShopifyForbidden:    "shopify_forbidden",
	KindShopifyGone:         "shopify_gone",
	KindShopifyLocked:       "shopify_locked",
	KindShopifyThrottled:    "shopify_throttled",
	KindShopifyUnavailable:  "shopify_unavailable",
	KindShopifyTimeout:      "shopify_timeout",
	KindShopifyQueryInvalid: "shopify_query_invalid",
	KindTooLarge:            "too_large",
}

// String names the kind for logs and metric labels.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// NeedsAdmin reports whether an error of this kind stays until an admin
// acts on the store's connection (reconnects it, or the shop owner settles
// with Shopify), rather than passing by itself: retrying does not help.
func (k Kind) NeedsAdmin() bool {
	switch k {
	case KindShopifyAuth, KindShopifyFrozen, KindShopifyLocked, KindShopifyForbidden, KindShopifyGone:
		return true
	}
	return false
}

// FromShopify reports whether the kind describes Shopify's answer (or its
// absence) rather than the request shopcard was given.
func (k Kind) FromShopify() bool {
	return k >= KindShopifyAuth && k <= KindShopifyQueryInvalid
}

// Error is an error with a kind and a message that is safe to show to the
// person on the other end. Err, when set, holds the detail for logs.
type Error struct {
	Kind    Kind
	Message string // for people: what happened and what to do
	Err     error  // for logs: the cause
}

// Error joins the message and the cause.
func (e *Error) Error() string {
	if e.Err == nil {
		return e.Message
	}
	if e.Message == "" {
		return e.Err.Error()
	}
	return e.Message + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error of the given kind with a formatted message.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Wrap builds an *Error of the given kind around a cause.
func Wrap(kind Kind, err error, message string) *Error {
	return &Error{Kind: kind, Message: message, Err: err}
}

// KindOf returns the kind of the first *Error in err's chain, or
// KindInternal when there is none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// MessageOf returns the safe message of the first *Error in err's chain, or
// "" when there is none: internal errors have nothing safe to say.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}
