// Package embedtoken signs and verifies the tokens an inbox puts in the
// sidebar's URL. A token is a JWT signed with HS256 by the workspace's embed
// secret. It names the workspace and the contact, and it expires.
package embedtoken

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"shopcard/domain"
)

// Leeway is the clock skew allowed between the inbox that mints a token and
// shopcard: an expiry up to this far in the past is still accepted.
const Leeway = 30 * time.Second

// MaxEmails is how many addresses one token may carry for one contact.
const MaxEmails = 5

// Claims is what a token says.
type Claims struct {
	Workspace string   `json:"workspace"`
	Email     string   `json:"email,omitempty"`
	Emails    []string `json:"emails,omitempty"`
	Name      string   `json:"name,omitempty"`
	jwt.RegisteredClaims
}

// Contact returns the contact's normalized, deduplicated email addresses
// (email first, then emails, at most MaxEmails).
func (c Claims) Contact() []string {
	all := c.addresses()
	return all[:min(len(all), MaxEmails)]
}

// addresses are all the distinct, valid addresses the claims carry.
func (c Claims) addresses() []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range append([]string{c.Email}, c.Emails...) {
		n, err := domain.NormalizeEmail(e)
		if err != nil || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	return out
}

// The reasons a token is rejected. Verify wraps one of them in a
// *domain.Error whose message a rep can act on.
var (
	ErrMissing          = errors.New("token missing")
	ErrMalformed        = errors.New("token malformed")
	ErrAlgorithm        = errors.New("token algorithm not HS256")
	ErrBadSignature     = errors.New("token signature invalid")
	ErrExpired          = errors.New("token expired")
	ErrNotYetValid      = errors.New("token issued in the future")
	ErrUnknownWorkspace = errors.New("token workspace unknown")
	ErrNoContact        = errors.New("token has no usable email")
	ErrTooManyEmails    = errors.New("token has too many emails")
)

var messages = map[error]string{
	ErrMissing:          "This sidebar link has no sign-in token. Reopen the conversation; if it keeps happening, ask an admin to check the inbox integration.",
	ErrMalformed:        "This sidebar link is damaged: its sign-in token can't be read. Reopen the conversation; if it keeps happening, ask an admin to check the inbox integration.",
	ErrAlgorithm:        "This sidebar link was signed the wrong way (shopcard only accepts HS256). Ask an admin to check the inbox integration.",
	ErrBadSignature:     "This sidebar link wasn't signed with your workspace's embed secret. Ask an admin: the secret in the inbox integration may be out of date.",
	ErrExpired:          "This sidebar link has expired. Reopen the conversation to get a fresh one.",
	ErrNotYetValid:      "This sidebar link isn't valid yet: the clock of the system that made it is ahead. Ask an admin to check the inbox integration's clock.",
	ErrUnknownWorkspace: "This sidebar link names a workspace shopcard doesn't know. Ask an admin to check the inbox integration.",
	ErrNoContact:        "This sidebar link doesn't say which contact to show (it carries no valid email address). Ask an admin to check the inbox integration.",
	ErrTooManyEmails:    "This sidebar link carries more than 5 email addresses for one contact. Ask an admin to check the inbox integration.",
}

func reject(reason error) error {
	kind := domain.KindUnauthorized
	if reason == ErrNoContact || reason == ErrTooManyEmails {
		kind = domain.KindInvalid
	}
	return &domain.Error{Kind: kind, Message: messages[reason], Err: reason}
}

// SecretsFunc returns the secrets that may have signed a workspace's tokens:
// the current one and, during a rotation's grace period, the previous one.
// It returns a KindNotFound error for an unknown workspace.
type SecretsFunc func(ctx context.Context, workspace string) ([]domain.Secret, error)

// Verifier checks tokens.
type Verifier struct {
	secrets   SecretsFunc
	now       func() time.Time
	parser    *jwt.Parser
	validator *jwt.Validator // the parser's time checks, for remembered tokens
	verified  *verifiedTokens
}

// NewVerifier returns a Verifier that looks up secrets with secrets and reads
// the time from now. Close it when done.
func NewVerifier(secrets SecretsFunc, now func() time.Time) *Verifier {
	opts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{"HS256"}),
		jwt.WithLeeway(Leeway),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(now),
	}
	return &Verifier{
		secrets:   secrets,
		now:       now,
		parser:    jwt.NewParser(opts...),
		validator: jwt.NewValidator(opts...),
		verified:  newVerifiedTokens(),
	}
}

// Close releases the goroutines of the verifier's memory of tokens.
func (v *Verifier) Close() { v.verified.close() }

// Verify checks a token and returns its claims. Every failure is a
// *domain.Error wrapping one of the Err* reasons.
func (v *Verifier) Verify(ctx context.Context, token string) (Claims, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return Claims{}, reject(ErrMissing)
	}
	if claims, ok := v.verified.get(token, func(ws string) ([]domain.Secret, error) { return v.secrets(ctx, ws) }, v.validator); ok {
		return claims, nil
	}
	alg, ok := headerAlg(token)
	if !ok {
		return Claims{}, reject(ErrMalformed)
	}
	if alg != "HS256" {
		return Claims{}, reject(ErrAlgorithm)
	}
	var lookupErr error
	var claims Claims
	var used []domain.Secret
	_, err := v.parser.ParseWithClaims(token, &claims, func(t *jwt.Token) (any, error) {
		c := t.Claims.(*Claims)
		if c.Workspace == "" {
			lookupErr = reject(ErrUnknownWorkspace)
			return nil, lookupErr
		}
		secrets, err := v.secrets(ctx, c.Workspace)
		if err != nil {
			if domain.KindOf(err) == domain.KindNotFound {
				lookupErr = reject(ErrUnknownWorkspace)
			} else {
				lookupErr = err
			}
			return nil, lookupErr
		}
		used = secrets
		set := jwt.VerificationKeySet{}
		for _, s := range secrets {
			set.Keys = append(set.Keys, []byte(s.Reveal()))
		}
		return set, nil
	})
	switch {
	case lookupErr != nil:
		return Claims{}, lookupErr
	case err == nil:
	case errors.Is(err, jwt.ErrTokenMalformed):
		return Claims{}, reject(ErrMalformed)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return Claims{}, reject(ErrBadSignature)
	case errors.Is(err, jwt.ErrTokenExpired), errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return Claims{}, reject(ErrExpired)
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued), errors.Is(err, jwt.ErrTokenNotValidYet):
		return Claims{}, reject(ErrNotYetValid)
	default:
		return Claims{}, reject(ErrMalformed)
	}
	// Each address is a lookup in every store: email and emails together
	// may name at most MaxEmails.
	if len(claims.Emails) > MaxEmails || len(claims.addresses()) > MaxEmails {
		return Claims{}, reject(ErrTooManyEmails)
	}
	if len(claims.Contact()) == 0 {
		return Claims{}, reject(ErrNoContact)
	}
	v.verified.put(token, claims, used, v.now())
	return claims, nil
}

// headerAlg reads the alg of a compact JWT without trusting anything else.
func headerAlg(token string) (string, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", false
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return "", false
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return "", false
	}
	return h.Alg, true
}

// Sign mints a token for a contact, valid for ttl from now. Integrators do
// the same in their own language; see the README.
func Sign(secret domain.Secret, c Claims, now time.Time, ttl time.Duration) (string, error) {
	c.IssuedAt = jwt.NewNumericDate(now)
	c.ExpiresAt = jwt.NewNumericDate(now.Add(ttl))
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(secret.Reveal()))
}

// UnverifiedWorkspace reads the workspace a token names without checking
// anything: only for choosing which workspace's frame-ancestors a response
// carries, never for access. It returns "" for anything unreadable.
func UnverifiedWorkspace(token string) string {
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 || len(parts[1]) > 8192 {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var c struct {
		Workspace string `json:"workspace"`
	}
	if json.Unmarshal(raw, &c) != nil {
		return ""
	}
	return c.Workspace
}
