package auth

import "strings"

// APIKeyPrefix starts every API key, so that a key pasted in the wrong
// place (a log, a ticket, a repository) is recognisable, and so that
// secret scanners can find one.
const APIKeyPrefix = "sck_"

// apiKeyLength is the length of a key: the prefix and 256 random bits,
// base64url without padding.
const apiKeyLength = len(APIKeyPrefix) + 43

// APIKeyShownPrefix is how much of a key lists show to tell keys apart:
// the prefix and 8 random characters, which leave 200 bits unknown.
const APIKeyShownPrefix = len(APIKeyPrefix) + 8

// NewAPIKey returns a new API key. Store only HashToken of it.
func NewAPIKey() string { return APIKeyPrefix + NewToken() }

// LooksLikeAPIKey reports whether s has the shape of a key NewAPIKey
// makes. Checking the shape before hashing and looking it up bounds what
// an unauthenticated request can make the server do.
func LooksLikeAPIKey(s string) bool {
	if len(s) != apiKeyLength || !strings.HasPrefix(s, APIKeyPrefix) {
		return false
	}
	for _, c := range s[len(APIKeyPrefix):] {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
