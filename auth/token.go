package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
)

// NewToken returns 256 random bits, URL-safe: a session token, a sign-in
// form nonce or an OAuth state.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand does not fail on supported platforms.
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is what the database keeps in place of a token: a stolen
// database row cannot be replayed as a cookie.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CSRFToken derives the token forms must carry from the secret in the
// browser's cookie. A page can show it freely: it reveals nothing about the
// cookie, and another site can neither read the cookie nor compute it.
func CSRFToken(cookieToken string) string {
	mac := hmac.New(sha256.New, []byte(cookieToken))
	mac.Write([]byte("shopcard csrf v1"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// CheckCSRF reports, in constant time, whether a submitted token belongs to
// the cookie. An empty cookie or token never matches.
func CheckCSRF(cookieToken, submitted string) bool {
	if cookieToken == "" || submitted == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(CSRFToken(cookieToken)), []byte(submitted)) == 1
}
