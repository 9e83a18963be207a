package domain

import "log/slog"

// Secret holds a credential such as a Shopify access token or an embed
// secret. Its String, GoString, LogValue and MarshalText methods all redact,
// so printing, logging or encoding a struct that holds one never leaks it.
// Call Reveal at the one place that must send the value.
type Secret struct{ value string }

// NewSecret wraps a credential.
func NewSecret(v string) Secret { return Secret{value: v} }

// Reveal returns the credential itself.
func (s Secret) Reveal() string { return s.value }

// IsZero reports whether no credential is held.
func (s Secret) IsZero() bool { return s.value == "" }

const redacted = "[redacted]"

// String redacts.
func (s Secret) String() string { return redacted }

// GoString redacts, so %#v does too.
func (s Secret) GoString() string { return redacted }

// LogValue redacts for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText redacts for encoding/json and friends.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
