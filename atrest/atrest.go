// Package atrest encrypts secrets before they are written to the database:
// Shopify access and refresh tokens, webhook secrets and embed secrets. It
// uses AES-256-GCM with a random nonce per value, and binds each ciphertext
// to what it protects (its "context", such as "store:42:access_token") so a
// value copied into another row fails to decrypt.
package atrest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the length of an AES-256 key.
const KeySize = 32

// version prefixes every ciphertext so the format can change later.
const version = "v1:"

// Box seals and opens secrets with one key.
type Box struct {
	aead cipher.AEAD
}

// New returns a Box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("atrest: key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext for the given context and returns printable text.
func (b *Box) Seal(context, plaintext string) (string, error) {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := b.aead.Seal(nonce, nonce, []byte(plaintext), []byte(context))
	return version + base64.RawStdEncoding.EncodeToString(out), nil
}

// ErrUndecryptable means a value was not sealed by this key for this
// context: the key changed, or the row was tampered with.
var ErrUndecryptable = errors.New("atrest: value cannot be decrypted with this key (was SHOPCARD_SECRET_KEY changed?)")

// Open decrypts a value produced by Seal with the same context.
func (b *Box) Open(context, sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	if !strings.HasPrefix(sealed, version) {
		return "", ErrUndecryptable
	}
	raw, err := base64.RawStdEncoding.DecodeString(sealed[len(version):])
	if err != nil || len(raw) < b.aead.NonceSize() {
		return "", ErrUndecryptable
	}
	nonce, ct := raw[:b.aead.NonceSize()], raw[b.aead.NonceSize():]
	pt, err := b.aead.Open(nil, nonce, ct, []byte(context))
	if err != nil {
		return "", ErrUndecryptable
	}
	return string(pt), nil
}

// LoadKey returns the encryption key. When fromEnv (SHOPCARD_SECRET_KEY) is
// set it must hold 32 bytes as 64 hex digits or base64. Otherwise the key is
// read from keyFile, which is created with mode 0600 holding a new random key
// on first run. created reports whether a new key file was written.
func LoadKey(fromEnv, keyFile string) (key []byte, created bool, err error) {
	if fromEnv != "" {
		key, err := parseKey(fromEnv)
		if err != nil {
			return nil, false, fmt.Errorf("SHOPCARD_SECRET_KEY: %w", err)
		}
		return key, false, nil
	}
	b, err := os.ReadFile(keyFile)
	switch {
	case err == nil:
		if info, serr := os.Stat(keyFile); serr == nil && info.Mode().Perm()&0o077 != 0 {
			return nil, false, fmt.Errorf("key file %s is readable by others (mode %v); run chmod 600 on it", keyFile, info.Mode().Perm())
		}
		key, err := parseKey(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, false, fmt.Errorf("key file %s: %w", keyFile, err)
		}
		return key, false, nil
	case errors.Is(err, fs.ErrNotExist):
		key = make([]byte, KeySize)
		if _, err := rand.Read(key); err != nil {
			return nil, false, err
		}
		if err := os.MkdirAll(filepath.Dir(keyFile), 0o700); err != nil {
			return nil, false, err
		}
		f, err := os.OpenFile(keyFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, false, fmt.Errorf("create key file: %w", err)
		}
		if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
			f.Close()
			return nil, false, err
		}
		return key, true, f.Close()
	default:
		return nil, false, fmt.Errorf("read key file: %w", err)
	}
}

func parseKey(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == KeySize {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == KeySize {
			return b, nil
		}
	}
	return nil, fmt.Errorf("want %d random bytes as 64 hex digits or base64 (try: openssl rand -hex 32)", KeySize)
}
