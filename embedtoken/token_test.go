package embedtoken

import (
	"context"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"shopcard/domain"
)

var (
	now       = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	secret    = domain.NewSecret("current-secret-current-secret-000")
	oldSecret = domain.NewSecret("previous-secret-previous-secret-0")
)

func testVerifier() *Verifier {
	return NewVerifier(func(_ context.Context, ws string) ([]domain.Secret, error) {
		switch ws {
		case "acme":
			return []domain.Secret{secret}, nil
		case "rotating":
			return []domain.Secret{secret, oldSecret}, nil
		}
		return nil, domain.Errorf(domain.KindNotFound, "no such workspace")
	}, func() time.Time { return now }, 0)
}

func mint(t *testing.T, s domain.Secret, c Claims, issued time.Time, ttl time.Duration) string {
	t.Helper()
	tok, err := Sign(s, c, issued, ttl)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// forge builds a token with an arbitrary header, as an attacker would.
func forge(header, payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(header)) + "." + enc([]byte(payload)) + "." + enc([]byte("sig"))
}

func TestVerifyRejects(t *testing.T) {
	ada := Claims{Workspace: "acme", Email: "ada@example.com"}
	exp := now.Add(time.Hour).Unix()
	payload := `{"workspace":"acme","email":"ada@example.com","iat":` + itoa(now.Unix()) + `,"exp":` + itoa(exp) + `}`
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"missing", "", ErrMissing},
		{"not a jwt", "hello", ErrMalformed},
		{"bad base64 header", "!!!.e30.sig", ErrMalformed},
		{"garbage payload", forge(`{"alg":"HS256"}`, `not json`), ErrMalformed},
		{"alg none", forge(`{"alg":"none","typ":"JWT"}`, payload), ErrAlgorithm},
		{"alg RS256", forge(`{"alg":"RS256","typ":"JWT"}`, payload), ErrAlgorithm},
		{"alg HS512", mintWith(t, jwt.SigningMethodHS512, ada), ErrAlgorithm},
		{"bad signature", mint(t, domain.NewSecret("someone-elses-secret-someone-else"), ada, now, time.Hour), ErrBadSignature},
		{"tampered payload", tamper(mint(t, secret, ada, now, time.Hour)), ErrBadSignature},
		{"expired", mint(t, secret, ada, now.Add(-2*time.Hour), time.Hour), ErrExpired},
		{"no expiry", mintNoExp(t, ada), ErrExpired},
		{"issued in the future", mint(t, secret, ada, now.Add(10*time.Minute), time.Hour), ErrNotYetValid},
		{"unknown workspace", mint(t, secret, Claims{Workspace: "ghost", Email: "ada@example.com"}, now, time.Hour), ErrUnknownWorkspace},
		{"no workspace", mint(t, secret, Claims{Email: "ada@example.com"}, now, time.Hour), ErrUnknownWorkspace},
		{"no email", mint(t, secret, Claims{Workspace: "acme"}, now, time.Hour), ErrNoContact},
		{"invalid email", mint(t, secret, Claims{Workspace: "acme", Email: "not-an-email"}, now, time.Hour), ErrNoContact},
		{"six emails", mint(t, secret, Claims{Workspace: "acme", Emails: []string{"a@x.co", "b@x.co", "c@x.co", "d@x.co", "e@x.co", "f@x.co"}}, now, time.Hour), ErrTooManyEmails},
		{"email and five more emails", mint(t, secret, Claims{Workspace: "acme", Email: "z@x.co", Emails: []string{"a@x.co", "b@x.co", "c@x.co", "d@x.co", "e@x.co"}}, now, time.Hour), ErrTooManyEmails},
		// A lookalike of an ASCII letter must never fold into it: the
		// Kelvin sign would have become "k" and shown kate's customer.
		{"lookalike email", mint(t, secret, Claims{Workspace: "acme", Email: "\u212Aate@example.com"}, now, time.Hour), ErrEmailNotASCII},
		{"lookalike among emails", mint(t, secret, Claims{Workspace: "acme", Email: "ada@example.com", Emails: []string{"\u212Aate@example.com"}}, now, time.Hour), ErrEmailNotASCII},
		{"accented email", mint(t, secret, Claims{Workspace: "acme", Email: "zo\u00EB@example.se"}, now, time.Hour), ErrEmailNotASCII},
		{"no issued-at", mintNoIat(t, ada, now.Add(time.Hour)), ErrNoIssuedAt},
		{"lives longer than a day", mint(t, secret, ada, now, 24*time.Hour+time.Second), ErrLifetime},
		{"lives a year", mint(t, secret, ada, now.Add(-time.Minute), 365*24*time.Hour), ErrLifetime},
		// Shape: checked before anything splits or decodes the token.
		{"a megabyte of separators", strings.Repeat(".", 1<<20), ErrTooLong},
		{"longer than any real token", mint(t, secret, Claims{Workspace: "acme", Email: "ada@example.com", Name: strings.Repeat("n", MaxTokenLength)}, now, time.Hour), ErrTooLong},
		{"four parts", mint(t, secret, ada, now, time.Hour) + ".e30", ErrMalformed},
		{"empty signature", withoutSignature(mint(t, secret, ada, now, time.Hour)), ErrBadSignature},
		{"empty payload", "eyJhbGciOiJIUzI1NiJ9..sig", ErrMalformed},
		{"characters outside base64url", "eyJ+.eyJ.sig", ErrMalformed},
		{"padding", mint(t, secret, ada, now, time.Hour) + "=", ErrMalformed},
	}
	v := testVerifier()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), tt.token)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if msg := domain.MessageOf(err); msg == "" || strings.Contains(msg, "ada@example.com") {
				t.Errorf("message %q is empty or leaks the email", msg)
			}
		})
	}
}

func TestVerifyAccepts(t *testing.T) {
	tests := []struct {
		name    string
		token   string
		contact []string
	}{
		{"fresh", mint(t, secret, Claims{Workspace: "acme", Email: " Ada@Example.com ", Name: "Ada"}, now, 15*time.Minute), []string{"ada@example.com"}},
		{"expired within leeway", mint(t, secret, Claims{Workspace: "acme", Email: "ada@example.com"}, now.Add(-time.Hour-10*time.Second), time.Hour), []string{"ada@example.com"}},
		{"previous secret during rotation", mint(t, oldSecret, Claims{Workspace: "rotating", Email: "ada@example.com"}, now, time.Hour), []string{"ada@example.com"}},
		{"several emails, deduplicated", mint(t, secret, Claims{Workspace: "acme", Email: "a@x.co", Emails: []string{"A@x.co", "b@x.co"}}, now, time.Hour), []string{"a@x.co", "b@x.co"}},
		{"lives exactly the maximum", mint(t, secret, Claims{Workspace: "acme", Email: "ada@example.com"}, now, DefaultMaxLifetime), []string{"ada@example.com"}},
		{"five distinct with repeats", mint(t, secret, Claims{Workspace: "acme", Email: "a@x.co", Emails: []string{"a@x.co", "b@x.co", "c@x.co", "d@x.co", "e@x.co"}}, now, time.Hour), []string{"a@x.co", "b@x.co", "c@x.co", "d@x.co", "e@x.co"}},
	}
	v := testVerifier()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := v.Verify(context.Background(), tt.token)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(c.Contact(), ","); got != strings.Join(tt.contact, ",") {
				t.Errorf("contact = %s, want %s", got, strings.Join(tt.contact, ","))
			}
		})
	}
}

func mintWith(t *testing.T, m jwt.SigningMethod, c Claims) string {
	t.Helper()
	c.IssuedAt = jwt.NewNumericDate(now)
	c.ExpiresAt = jwt.NewNumericDate(now.Add(time.Hour))
	tok, err := jwt.NewWithClaims(m, c).SignedString([]byte(secret.Reveal()))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// withoutSignature keeps a token's header, payload and last separator.
func withoutSignature(tok string) string { return tok[:strings.LastIndexByte(tok, '.')+1] }

func mintNoIat(t *testing.T, c Claims, exp time.Time) string {
	t.Helper()
	c.ExpiresAt = jwt.NewNumericDate(exp)
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(secret.Reveal()))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestMaxLifetimeIsConfigurable: a verifier made with a shorter maximum
// refuses what the default accepts, and a longer one accepts more.
func TestMaxLifetimeIsConfigurable(t *testing.T) {
	secrets := func(context.Context, string) ([]domain.Secret, error) { return []domain.Secret{secret}, nil }
	clock := func() time.Time { return now }
	tests := []struct {
		max, ttl time.Duration
		want     error
	}{
		{time.Hour, time.Hour, nil},
		{time.Hour, time.Hour + time.Second, ErrLifetime},
		{0, DefaultMaxLifetime, nil},
		{0, DefaultMaxLifetime + time.Second, ErrLifetime},
		{7 * 24 * time.Hour, 3 * 24 * time.Hour, nil},
	}
	for _, tt := range tests {
		t.Run(tt.max.String()+"/"+tt.ttl.String(), func(t *testing.T) {
			v := NewVerifier(secrets, clock, tt.max)
			defer v.Close()
			_, err := v.Verify(context.Background(), mint(t, secret, Claims{Workspace: "acme", Email: "ada@example.com"}, now, tt.ttl))
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestUnverifiedWorkspaceChecksShapeFirst: the frame-ancestors lookup
// reads tokens before they are verified, so it must refuse what Verify
// would refuse by shape, without splitting it.
func TestUnverifiedWorkspaceChecksShapeFirst(t *testing.T) {
	good := mint(t, secret, Claims{Workspace: "acme", Email: "ada@example.com"}, now, time.Hour)
	tests := []struct{ name, token, want string }{
		{"a token", good, "acme"},
		{"a megabyte of separators", strings.Repeat(".", 1<<20), ""},
		{"a megabyte of base64", strings.Repeat("A", 1<<20) + ".e30.sig", ""},
		{"two parts", "e30.e30", ""},
	}
	v := testVerifier()
	defer v.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := UnverifiedWorkspace(tt.token); got != tt.want {
				t.Errorf("UnverifiedWorkspace = %q, want %q", got, tt.want)
			}
			if got := v.UnverifiedWorkspace(tt.token); got != tt.want {
				t.Errorf("Verifier.UnverifiedWorkspace = %q, want %q", got, tt.want)
			}
		})
	}
}

func mintNoExp(t *testing.T, c Claims) string {
	t.Helper()
	c.IssuedAt = jwt.NewNumericDate(now)
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(secret.Reveal()))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// tamper swaps the payload for one naming another contact, keeping the
// original signature.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	payload := `{"workspace":"acme","email":"mallory@example.com","iat":` + itoa(now.Unix()) + `,"exp":` + itoa(now.Add(time.Hour).Unix()) + `}`
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(payload))
	return strings.Join(parts, ".")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
