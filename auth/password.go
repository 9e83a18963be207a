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

// PasswordCost is argon2id's work factor: the memory one hash takes, in
// KiB, and the passes over it. It is written into each hash, so a check
// always uses the cost its hash was made with.
type PasswordCost struct {
	MemoryKiB uint32
	Passes    uint32
}

// defaultPasswordCost is OWASP's recommended minimum for argon2id (19 MiB,
// 2 passes, 1 lane), which keeps a sign-in around tens of milliseconds on
// small servers. Every hash shopcard makes for a person uses it.
var defaultPasswordCost = PasswordCost{MemoryKiB: 19 * 1024, Passes: 2}

const (
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
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
	return HashPasswordAt(pw, defaultPasswordCost)
}

// HashPasswordAt is HashPassword at another cost. Only tests ask for
// less than the default: the accounts they seed are signed in to about a
// hundred times a run, under the race detector, and their passwords
// protect nothing. The cost must be one CheckPassword accepts.
func HashPasswordAt(pw string, cost PasswordCost) (string, error) {
	if err := ValidatePassword(pw); err != nil {
		return "", err
	}
	if !cost.acceptable() {
		return "", fmt.Errorf("auth: argon2id cost %d KiB, %d passes is outside what a check accepts", cost.MemoryKiB, cost.Passes)
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, cost.Passes, cost.MemoryKiB, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding.EncodeToString
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, cost.MemoryKiB, cost.Passes, argonThreads, enc(salt), enc(key)), nil
}

// acceptable reports whether a hash at this cost can be checked: argon2id
// needs at least 8 KiB per lane, and a hash from the database is trusted
// but a corrupted one must not make a sign-in allocate gigabytes.
func (c PasswordCost) acceptable() bool {
	return c.MemoryKiB >= 8*argonThreads && c.MemoryKiB <= 1<<20 && c.Passes >= 1 && c.Passes <= 16
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
	if !(PasswordCost{MemoryKiB: memory, Passes: passes}).acceptable() || threads == 0 {
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
