// Package logging builds shopcard's structured logger. Whatever a caller
// passes, it never writes an email address, an embed token or a credential:
// sensitive keys are dropped to "[redacted]" and string values are scrubbed
// of anything shaped like an email or a JWT.
package logging

import (
	"io"
	"log/slog"
	"regexp"
	"strings"
)

// New returns a logger writing text or JSON lines at the given level.
func New(w io.Writer, level, format string) *slog.Logger {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		lv = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lv, ReplaceAttr: Redact}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

const redacted = "[redacted]"

var sensitiveKeys = map[string]bool{
	"email": true, "emails": true, "token": true, "access_token": true, "refresh_token": true,
	"secret": true, "password": true, "authorization": true, "cookie": true, "code": true,
}

var (
	emailPattern = regexp.MustCompile(`[^\s@"'<>()\[\],;:]+@[^\s@"'<>()\[\],;:]+\.[^\s@"'<>()\[\],;:]+`)
	jwtPattern   = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
	shopifyToken = regexp.MustCompile(`shp(at|ca|pa|ss|ua|rt)_[A-Za-z0-9_]+`)
)

// Redact is a slog ReplaceAttr function that hides sensitive values.
func Redact(_ []string, a slog.Attr) slog.Attr {
	if sensitiveKeys[strings.ToLower(a.Key)] {
		return slog.String(a.Key, redacted)
	}
	if a.Value.Kind() == slog.KindString {
		if s := Scrub(a.Value.String()); s != a.Value.String() {
			return slog.String(a.Key, s)
		}
	}
	return a
}

// Scrub replaces emails, JWTs and Shopify tokens inside free text, such as
// an error message that quotes what it failed on.
func Scrub(s string) string {
	if !strings.ContainsAny(s, "@.") && !strings.Contains(s, "shp") {
		return s
	}
	s = jwtPattern.ReplaceAllString(s, redacted)
	s = shopifyToken.ReplaceAllString(s, redacted)
	return emailPattern.ReplaceAllString(s, redacted)
}
