package auth

import (
	"strings"
	"testing"
	"time"

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

func TestLimiter(t *testing.T) {
	l := NewLimiter(3, time.Minute)
	t0 := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	for i := range 3 {
		if blocked, _ := l.Blocked("ada@example.com", t0.Add(time.Duration(i)*time.Second)); blocked {
			t.Fatalf("blocked after %d failures", i)
		}
		l.Fail("ada@example.com", t0.Add(time.Duration(i)*time.Second))
	}
	blocked, wait := l.Blocked("ada@example.com", t0.Add(3*time.Second))
	if !blocked || wait != 57*time.Second {
		t.Errorf("after 3 failures: blocked %v, wait %v; want true, 57s", blocked, wait)
	}
	if blocked, _ := l.Blocked("bob@example.com", t0.Add(3*time.Second)); blocked {
		t.Error("one key's failures blocked another key")
	}
	if blocked, _ := l.Blocked("ada@example.com", t0.Add(61*time.Second)); blocked {
		t.Error("still blocked once the first failure left the window")
	}
	l.Fail("carol", t0)
	l.Fail("carol", t0)
	l.Reset("carol")
	l.Fail("carol", t0)
	l.Fail("carol", t0)
	if blocked, _ := l.Blocked("carol", t0); blocked {
		t.Error("Reset did not forget the failures")
	}
}
