package storage

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"shopcard/domain"
)

var workspaceName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ValidateWorkspaceName checks a workspace name: lowercase letters, digits
// and hyphens, as it appears in embed tokens and URLs.
func ValidateWorkspaceName(name string) error {
	if !workspaceName.MatchString(name) {
		return domain.Errorf(domain.KindInvalid, "Workspace names use lowercase letters, digits and hyphens (up to 63), starting with a letter or digit; %q does not.", name)
	}
	return nil
}

// NewEmbedSecret returns a fresh random embed secret, printable.
func NewEmbedSecret() (domain.Secret, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return domain.Secret{}, fmt.Errorf("new embed secret: %w", err)
	}
	return domain.NewSecret(base64.RawURLEncoding.EncodeToString(b)), nil
}

// MaxKeyName bounds an API key's name, which admins type to tell keys
// apart.
const MaxKeyName = 80

// APIKeyName is the name an API key is saved under: trimmed, "API key"
// when empty, refused when longer than MaxKeyName characters.
func APIKeyName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API key"
	}
	if utf8.RuneCountInString(name) > MaxKeyName {
		return "", domain.Errorf(domain.KindInvalid, "Name the key in %d characters or fewer.", MaxKeyName)
	}
	return name, nil
}

// NotFound is the error for a row that does not exist, in the words both
// engines use: "The store was not found.".
func NotFound(what string) error {
	return domain.Errorf(domain.KindNotFound, "%s was not found.", what)
}
