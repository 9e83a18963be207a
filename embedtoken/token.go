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

// MaxTokenLength bounds a token in bytes. A real token, with five addresses
// of the longest kind and a long name, is under 3 KB; anything longer is
// refused before it is split, decoded or hashed, so that a megabyte-long
// header costs a length check and nothing more.
const MaxTokenLength = 8192

// DefaultMaxLifetime is the longest a token may be made to last (exp − iat)
// unless the operator says otherwise (SHOPCARD_TOKEN_MAX_LIFETIME): a token
// leaked from a URL must not be a permanent key to a contact's orders.
const DefaultMaxLifetime = 24 * time.Hour

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

// hasNonASCIIEmail reports whether any address the claims carry is outside
// ASCII: such a token is refused outright rather than shown without that
// address, since the rep would not know a lookup was skipped.
func (c Claims) hasNonASCIIEmail() bool {
	for _, e := range append([]string{c.Email}, c.Emails...) {
		if _, err := domain.NormalizeEmail(e); errors.Is(err, domain.ErrNonASCIIEmail) {
			return true
		}
	}
	return false
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
	ErrEmailNotASCII    = errors.New("token email not ASCII")
	ErrNoIssuedAt       = errors.New("token has no issued-at")
	ErrLifetime         = errors.New("token lifetime too long")
	ErrTooLong          = errors.New("token too long")
)

// Reasons lists every reason a token is rejected, for metrics.
var Reasons = []error{
	ErrMissing, ErrMalformed, ErrAlgorithm, ErrBadSignature, ErrExpired, ErrNotYetValid, ErrUnknownWorkspace,
	ErrNoContact, ErrTooManyEmails, ErrEmailNotASCII, ErrNoIssuedAt, ErrLifetime, ErrTooLong,
}

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
	ErrEmailNotASCII: "This sidebar link's contact has an email address with a character outside plain ASCII (an accented letter, another alphabet, " +
		"or a lookalike of a Latin letter). Shopify can't be asked for such an address reliably, so shopcard doesn't show it. Ask an admin to check the inbox integration.",
	ErrNoIssuedAt: "This sidebar link's token doesn't say when it was made (its iat claim is missing). Ask an admin to check the inbox integration.",
	ErrLifetime:   "This sidebar link was made to last longer than shopcard allows. Ask an admin to have the inbox integration mint short-lived tokens (15 minutes is typical).",
	ErrTooLong:    "This sidebar link's sign-in token is far longer than any real one, so shopcard didn't read it. Reopen the conversation; if it keeps happening, ask an admin to check the inbox integration.",
}

// Rejection is the error Verify returns for reason, one of the Err*
// reasons, for callers that refuse a token before verifying it.
func Rejection(reason error) error { return reject(reason) }

func reject(reason error) error {
	kind := domain.KindUnauthorized
	if reason == ErrNoContact || reason == ErrTooManyEmails || reason == ErrEmailNotASCII {
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
	secrets     SecretsFunc
	now         func() time.Time
	maxLifetime time.Duration
	parser      *jwt.Parser
	validator   *jwt.Validator // the parser's time checks, for remembered tokens
	verified    *verifiedTokens
}

// NewVerifier returns a Verifier that looks up secrets with secrets, reads
// the time from now, and refuses tokens made to last longer than
// maxLifetime (DefaultMaxLifetime when zero). Close it when done.
func NewVerifier(secrets SecretsFunc, now func() time.Time, maxLifetime time.Duration) *Verifier {
	if maxLifetime <= 0 {
		maxLifetime = DefaultMaxLifetime
	}
	opts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{"HS256"}),
		jwt.WithLeeway(Leeway),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(now),
	}
	return &Verifier{
		secrets:     secrets,
		now:         now,
		maxLifetime: maxLifetime,
		parser:      jwt.NewParser(opts...),
		validator:   jwt.NewValidator(opts...),
		verified:    newVerifiedTokens(),
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
	if err := checkShape(token); err != nil {
		return Claims{}, reject(err)
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
	// iat is required, and bounds how long the token was made to last: the
	// JWT library checks iat only when present.
	if claims.IssuedAt == nil {
		return Claims{}, reject(ErrNoIssuedAt)
	}
	if claims.ExpiresAt.Sub(claims.IssuedAt.Time) > v.maxLifetime {
		return Claims{}, reject(ErrLifetime)
	}
	if claims.hasNonASCIIEmail() {
		return Claims{}, reject(ErrEmailNotASCII)
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

// checkShape refuses, in one pass over its bytes and before anything
// splits or decodes it, a token that is too long or is not three unpadded
// base64url parts with a header and a payload. (The signature may be
// empty, as in an unsigned "alg":"none" token, so that such a token gets
// the precise reason from the algorithm check.) A token longer than
// MaxTokenLength is refused without being read at all.
func checkShape(token string) error {
	if len(token) > MaxTokenLength {
		return ErrTooLong
	}
	dots, partLen := 0, 0
	for i := 0; i < len(token); i++ {
		switch c := token[i]; {
		case c == '.':
			if partLen == 0 || dots == 2 {
				return ErrMalformed
			}
			dots, partLen = dots+1, 0
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
			partLen++
		default:
			return ErrMalformed
		}
	}
	if dots != 2 {
		return ErrMalformed
	}
	return nil
}

// headerAlg reads the alg of a compact JWT without trusting anything else.
// The token's shape was checked: it has exactly three parts.
func headerAlg(token string) (string, bool) {
	header, _, _ := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(header)
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
	token = strings.TrimSpace(token)
	if checkShape(token) != nil {
		return ""
	}
	_, rest, _ := strings.Cut(token, ".")
	payload, _, _ := strings.Cut(rest, ".")
	raw, err := base64.RawURLEncoding.DecodeString(payload)
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
