package logging

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"shopcard/domain"
)

func TestLoggerRedacts(t *testing.T) {
	tests := []struct {
		name   string
		log    func(l interface{ Info(string, ...any) })
		secret string
	}{
		{"email key", func(l interface{ Info(string, ...any) }) { l.Info("x", "email", "ada@example.com") }, "ada@example.com"},
		{"email inside an error", func(l interface{ Info(string, ...any) }) {
			l.Info("x", "error", errors.New(`lookup "Ada@Example.com" failed`).Error())
		}, "Example.com"},
		{"jwt inside a message value", func(l interface{ Info(string, ...any) }) {
			l.Info("x", "url", "/sidebar?token=eyJhbGciOiJIUzI1NiJ9.eyJ3b3Jrc3BhY2UiOiJkZW1vIn0.c2lnbmF0dXJl")
		}, "eyJhbGciOiJIUzI1NiJ9"},
		{"shopify token", func(l interface{ Info(string, ...any) }) { l.Info("x", "detail", "bad token shpat_abc123DEF") }, "shpat_abc123DEF"},
		{"refresh token", func(l interface{ Info(string, ...any) }) { l.Info("x", "detail", "refused shprt_fake_0a1b2c") }, "0a1b2c"},
		{"secret type", func(l interface{ Info(string, ...any) }) { l.Info("x", "value", domain.NewSecret("hunter2")) }, "hunter2"},
		{"password key", func(l interface{ Info(string, ...any) }) { l.Info("x", "password", "correct horse") }, "correct horse"},
	}
	for _, format := range []string{"text", "json"} {
		for _, tt := range tests {
			t.Run(format+"/"+tt.name, func(t *testing.T) {
				var buf bytes.Buffer
				tt.log(New(&buf, "info", format))
				if strings.Contains(buf.String(), tt.secret) {
					t.Errorf("log line leaks %q: %s", tt.secret, buf.String())
				}
				if !strings.Contains(buf.String(), redacted) {
					t.Errorf("log line has no redaction mark: %s", buf.String())
				}
			})
		}
	}
}

func TestScrubKeepsOrdinaryText(t *testing.T) {
	for _, s := range []string{"store acme.myshopify.com answered 401", "GET /sidebar/stores/:store", "elapsed 1.5s"} {
		if got := Scrub(s); got != s {
			t.Errorf("Scrub(%q) = %q", s, got)
		}
	}
}
