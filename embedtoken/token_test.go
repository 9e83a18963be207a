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
	}, func() time.Time { return now })
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
