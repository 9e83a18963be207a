package auth

import (
	"strings"
	"testing"

	"shopcard/domain"
)

func TestPasswords(t *testing.T) {
	hash, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id in PHC form", hash)
	}
	again, _ := HashPassword("correct horse battery staple")
	if again == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name, encoded, pw string
		want              bool
	}{
		{"right", hash, "correct horse battery staple", true},
		{"wrong", hash, "correct horse battery stapl", false},
		{"empty", hash, "", false},
		{"other hash format", "$2a$10$abcdefghijklmnopqrstuv", "correct horse battery staple", false},
		{"truncated", hash[:len(hash)-10], "correct horse battery staple", false},
		{"absurd memory", strings.Replace(hash, "m=19456", "m=99999999", 1), "correct horse battery staple", false},
		{"garbage", "not a hash", "x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckPassword(tt.encoded, tt.pw); got != tt.want {
				t.Errorf("CheckPassword = %v, want %v", got, tt.want)
			}
		})
	}
	if CheckNoAccount("anything at all") {
		t.Error("CheckNoAccount matched")
	}
}

// TestPasswordCost: a hash carries the cost it was made at, a check uses
// it, and a cost no check would accept is refused when hashing.
func TestPasswordCost(t *testing.T) {
	cheap := PasswordCost{MemoryKiB: 64, Passes: 1}
	hash, err := HashPasswordAt("correct horse battery staple", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q does not carry its cost", hash)
	}
	if !CheckPassword(hash, "correct horse battery staple") || CheckPassword(hash, "correct horse battery stapler") {
		t.Error("a cheap hash is not checked at its own cost")
	}
	for _, c := range []PasswordCost{{MemoryKiB: 4, Passes: 1}, {MemoryKiB: 64, Passes: 0}, {MemoryKiB: 1<<20 + 1, Passes: 1}, {MemoryKiB: 64, Passes: 17}} {
		if h, err := HashPasswordAt("correct horse battery staple", c); err == nil {
			t.Errorf("cost %+v hashed to %q, want an error", c, h)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{
		{"short", false},
		{"elevenchars", false},
		{"twelve chars", true},
		{"ÅÅÅÅÅÅÅÅÅÅÅÅ", true}, // 12 characters, 24 bytes
		{strings.Repeat("x", MaxPasswordLength), true},
		{strings.Repeat("x", MaxPasswordLength+1), false},
	}
	for _, tt := range tests {
		err := ValidatePassword(tt.pw)
		if (err == nil) != tt.ok {
			t.Errorf("ValidatePassword(%d chars) = %v, want ok=%v", len([]rune(tt.pw)), err, tt.ok)
		}
		if err != nil && domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("kind %v", domain.KindOf(err))
		}
	}
	if _, err := HashPassword("short"); err == nil {
		t.Error("HashPassword accepted a short password")
	}
}

func TestTokens(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b || len(a) < 43 {
		t.Errorf("tokens %q and %q", a, b)
	}
	if HashToken(a) == a || HashToken(a) != HashToken(a) || len(HashToken(a)) != 64 {
		t.Error("HashToken is not a stable SHA-256 hex digest")
	}
	csrf := CSRFToken(a)
	tests := []struct {
		name, cookie, submitted string
		want                    bool
	}{
		{"match", a, csrf, true},
		{"other session", b, csrf, false},
		{"missing", a, "", false},
		{"no cookie", "", CSRFToken(""), false},
		{"the cookie itself", a, a, false},
	}
	for _, tt := range tests {
		if got := CheckCSRF(tt.cookie, tt.submitted); got != tt.want {
			t.Errorf("%s: CheckCSRF = %v, want %v", tt.name, got, tt.want)
		}
	}
}
