package embedtoken

import (
	"context"
	"strings"
	"testing"
	"time"
)

// BenchmarkVerify measures checking an embed token the first time: header,
// HMAC, claims and email normalization. A sidebar's page pays this.
func BenchmarkVerify(b *testing.B) {
	v := testVerifier()
	v.Close()
	v.verified = nil // remember nothing: every iteration parses
	tok, err := Sign(secret, Claims{Workspace: "acme", Email: "Ada.Lovelace@Example.com", Name: "Ada"}, now, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyRemembered measures checking a token verified before: its
// sections, sent with the same token, pay this.
func BenchmarkVerifyRemembered(b *testing.B) {
	v := testVerifier()
	defer v.Close()
	tok, err := Sign(secret, Claims{Workspace: "acme", Email: "Ada.Lovelace@Example.com", Name: "Ada"}, now, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := v.Verify(ctx, tok); err != nil {
		b.Fatal(err)
	}
	v.verified.c.Wait()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyOversized measures refusing a megabyte-long token of
// separators, the shape that made verification allocate about 45 times
// its size when it split the token before checking it: B/op must stay
// a small constant, not grow with the token.
func BenchmarkVerifyOversized(b *testing.B) {
	v := testVerifier()
	defer v.Close()
	for _, tok := range []struct{ name, token string }{
		{"separators", strings.Repeat(".", 1<<20)},
		{"base64", strings.Repeat("A", 1<<20)},
	} {
		b.Run(tok.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(ctx, tok.token); err == nil {
					b.Fatal("an oversized token was accepted")
				}
				v.UnverifiedWorkspace(tok.token)
			}
		})
	}
}
