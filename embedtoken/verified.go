package embedtoken

import (
	"crypto/sha256"
	"crypto/subtle"
	"slices"
	"strings"
	"time"

	"github.com/dgraph-io/ristretto/v2"
	"github.com/golang-jwt/jwt/v5"

	"shopcard/domain"
)

// verifiedTokens remembers tokens that passed every check, so the next
// request carrying one is checked without parsing it again: a sidebar sends
// its token with its page and with every store section, and parsing a JWT
// (base64, JSON, reflection) costs tens of microseconds against the
// microsecond of an HMAC.
//
// A remembered token is accepted again only while its workspace's
// verifying secrets are exactly those that verified it (any rotation, the
// end of a grace period or a deleted workspace sends it through full
// verification, which then gives the precise reason), and only while the
// JWT library's own validator still accepts its times (expiry, issued-at
// and not-before, with the same leeway). Only verified tokens are kept, so
// forged ones cannot fill it, and it holds at most maxVerifiedTokens.
// A nil *verifiedTokens remembers nothing.
type verifiedTokens struct {
	c *ristretto.Cache[string, *verifiedToken]
}

const maxVerifiedTokens = 4096

type verifiedToken struct {
	token   string // ristretto keeps only hashes of keys: compare the token itself
	secrets [sha256.Size]byte
	claims  Claims
}

func newVerifiedTokens() *verifiedTokens {
	c, err := ristretto.NewCache(&ristretto.Config[string, *verifiedToken]{
		NumCounters: 10 * maxVerifiedTokens,
		MaxCost:     maxVerifiedTokens,
		BufferItems: 64,
	})
	if err != nil {
		// The configuration above is fixed and valid.
		panic("embedtoken: " + err.Error())
	}
	return &verifiedTokens{c: c}
}

// secretsFingerprint names a set of verifying secrets without keeping them.
// It is asked on every request that carries a remembered token, so it
// hashes one buffer, on the stack when the secrets fit.
func secretsFingerprint(secrets []domain.Secret) [sha256.Size]byte {
	buf := make([]byte, 0, 256)
	for _, s := range secrets {
		buf = append(buf, s.Reveal()...)
		buf = append(buf, 0)
	}
	return sha256.Sum256(buf)
}

// get returns the claims of a remembered token if its secrets are still
// these and its times still pass validator.
func (t *verifiedTokens) get(token string, secrets func(workspace string) ([]domain.Secret, error), validator *jwt.Validator) (Claims, bool) {
	if t == nil {
		return Claims{}, false
	}
	v, ok := t.c.Get(token)
	if !ok || subtle.ConstantTimeCompare([]byte(v.token), []byte(token)) != 1 {
		return Claims{}, false
	}
	current, err := secrets(v.claims.Workspace)
	if err != nil {
		return Claims{}, false
	}
	fp := secretsFingerprint(current)
	if subtle.ConstantTimeCompare(fp[:], v.secrets[:]) != 1 {
		return Claims{}, false
	}
	claims := v.claims.clone()
	if validator.Validate(&claims) != nil {
		return Claims{}, false
	}
	return claims, true
}

// put remembers a token that passed every check with these secrets, until
// it expires.
func (t *verifiedTokens) put(token string, claims Claims, secrets []domain.Secret, now time.Time) {
	if t == nil || claims.ExpiresAt == nil {
		return
	}
	ttl := claims.ExpiresAt.Add(Leeway).Sub(now)
	if ttl <= 0 {
		return
	}
	t.c.SetWithTTL(token, &verifiedToken{token: token, secrets: secretsFingerprint(secrets), claims: claims.clone()}, 1, min(ttl, time.Hour))
}

func (t *verifiedTokens) close() {
	if t != nil {
		t.c.Close()
	}
}

// clone copies the claims' slices, so callers cannot change what is kept.
func (c Claims) clone() Claims {
	c.Emails = slices.Clone(c.Emails)
	c.Audience = slices.Clone(c.Audience)
	return c
}

// UnverifiedWorkspace is the package's UnverifiedWorkspace, answered from
// memory for a token verified before (the same token names the same
// workspace), which spares a sidebar's sections decoding it once more.
func (v *Verifier) UnverifiedWorkspace(token string) string {
	token = strings.TrimSpace(token)
	if len(token) > MaxTokenLength {
		return ""
	}
	if v.verified != nil {
		if e, ok := v.verified.c.Get(token); ok && e.token == token {
			return e.claims.Workspace
		}
	}
	return UnverifiedWorkspace(token)
}
