package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"shopcard/domain"
)

// Password length limits. The minimum follows NIST SP 800-63B for
// passwords chosen by their owner; the maximum bounds the work one
// sign-in attempt can ask of the server.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
)

// argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, 1
// lane), which keeps a sign-in around tens of milliseconds on small servers.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// ValidatePassword checks a new password's length, counting characters
// rather than bytes.
func ValidatePassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLength {
		return domain.Errorf(domain.KindInvalid, "The password is too short: use at least %d characters (a few unrelated words work well).", MinPasswordLength)
	}
	if n > MaxPasswordLength {
		return domain.Errorf(domain.KindInvalid, "The password is too long: use at most %d characters.", MaxPasswordLength)
	}
	return nil
}

// HashPassword returns an argon2id hash of pw in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash), with a fresh random salt.
func HashPassword(pw string) (string, error) {
	if err := ValidatePassword(pw); err != nil {
		return "", err
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding.EncodeToString
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime, argonThreads, enc(salt), enc(key)), nil
}

// CheckPassword reports whether pw matches an encoded hash, comparing in
// constant time. A malformed hash matches nothing.
func CheckPassword(encoded, pw string) bool {
	if len(pw) > MaxPasswordLength*4 {
		return false
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false
	}
	// A hash from the database is trusted, but a corrupted one must not
	// make a sign-in allocate gigabytes.
	if memory == 0 || memory > 1<<20 || passes == 0 || passes > 16 || threads == 0 {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when no account matches an email, so that
// a wrong email takes as long to refuse as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("not-a-real-password-for-timing")
	if err != nil {
		panic(err)
	}
	return h
})

// CheckNoAccount spends the time a password check takes and reports false.
func CheckNoAccount(pw string) bool {
	CheckPassword(dummyHash(), pw)
	return false
}
