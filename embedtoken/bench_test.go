package embedtoken

import (
	"context"
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
