package auth

import (
	"strings"
	"testing"
)

func TestAPIKeys(t *testing.T) {
	a, b := NewAPIKey(), NewAPIKey()
	if a == b || !strings.HasPrefix(a, "sck_") || !LooksLikeAPIKey(a) || !LooksLikeAPIKey(b) {
		t.Fatalf("keys %q and %q", a, b)
	}
	for _, s := range []string{
		"", "sck_", "sck_short", a[:len(a)-1], a + "x", "xck_" + a[4:], "SCK_" + a[4:],
		a[:10] + "!" + a[11:], a[:10] + " " + a[11:], a[:10] + "é"[:1] + a[11:],
	} {
		if LooksLikeAPIKey(s) {
			t.Errorf("%q looks like a key", s)
		}
	}
	if HashToken(a) == HashToken(b) || len(HashToken(a)) != 64 {
		t.Error("hashes")
	}
}
