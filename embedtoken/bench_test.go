package embedtoken

import (
	"context"
	"testing"
	"time"
)

// BenchmarkVerify measures checking one embed token: header, HMAC, claims
// and email normalization. Every sidebar page and fragment pays this once.
func BenchmarkVerify(b *testing.B) {
	v := testVerifier()
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
