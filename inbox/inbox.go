// Package inbox is shopcard's one concept of a helpdesk installation: a
// workspace's Chatwoot, Help Scout, Front or Zendesk app that shows the
// sidebar in the helpdesk's conversation view. Each kind has an adapter in a
// package of its own (inbox/chatwoot, inbox/helpscout, inbox/front,
// inbox/zendesk) that turns that helpdesk's proof into a verified contact;
// inbox/session then issues the sidebar's own short-lived session for it.
//
// Everything a helpdesk page or a request carries is untrusted: a contact's
// emails always come from the helpdesk's own API, asked with the
// installation's credentials, never from the page.
package inbox

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"shopcard/domain"
)

// Kind names a helpdesk.
type Kind string

// The helpdesks shopcard installs in.
const (
	Chatwoot  Kind = "chatwoot"
	HelpScout Kind = "helpscout"
	Front     Kind = "front"
	Zendesk   Kind = "zendesk"
)

// Kinds lists every kind, in the order pages show them.
var Kinds = []Kind{Chatwoot, HelpScout, Front, Zendesk}

// ParseKind reads a kind's name.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == strings.ToLower(strings.TrimSpace(s)) {
			return k, nil
		}
	}
	return "", domain.Errorf(domain.KindInvalid, "%q is not a helpdesk shopcard knows: use chatwoot, helpscout, front or zendesk.", s)
}

// Title is the helpdesk's name as people write it.
func (k Kind) Title() string {
	switch k {
	case Chatwoot:
		return "Chatwoot"
	case HelpScout:
		return "Help Scout"
	case Front:
		return "Front"
	case Zendesk:
		return "Zendesk"
	}
	return string(k)
}

// Settings are an installation's credentials and the facts its proofs are
// checked against. Which fields a kind uses is listed with each; the
// secrets are sealed at rest and never logged or rendered.
type Settings struct {
	// BaseURL is where the helpdesk's API is: the Chatwoot instance, the
	// Zendesk account (https://SUBDOMAIN.zendesk.com), or Help Scout's and
	// Front's API, whose defaults only tests change.
	BaseURL string
	// AccountID is the Chatwoot account the installation belongs to.
	AccountID int64
	// APIToken opens the helpdesk's API: Chatwoot's api_access_token,
	// Front's API token, Zendesk's API token (with APIEmail).
	APIToken domain.Secret
	// APIEmail is the Zendesk user the API token belongs to.
	APIEmail string
	// SigningSecret is the Help Scout app's secret key, which signs the
	// sidebar's query.
	SigningSecret domain.Secret
	// ClientID and ClientSecret are a Help Scout OAuth app's, for its
	// Inbox API (client credentials).
	ClientID     string
	ClientSecret domain.Secret
	// AuthSecret is the Front app's auth secret, which Front appends to
	// the plugin's URL.
	AuthSecret domain.Secret
	// PublicKeyPEM is the Zendesk app's public key (RS256), and
	// AppInstallationID the installation's id, which names the token's
	// audience.
	PublicKeyPEM      string
	AppInstallationID int64
}

// Installation is a workspace's app in one helpdesk.
type Installation struct {
	// ID is public, in the URL pasted into the helpdesk, and random: for
	// Chatwoot, whose messages are unsigned, knowing it is what opens the
	// page (see the README's trust model).
	ID          string
	WorkspaceID int64
	Kind        Kind
	// Label tells an admin's installations apart.
	Label    string
	Settings Settings
	// FrameOrigins are origins allowed to frame the sidebar besides the
	// ones the kind needs (DefaultFrameOrigins).
	FrameOrigins []string
	CreatedAt    time.Time
}

// Ancestors are the origins allowed to frame the installation's pages: the
// kind's own and the admin's.
func (i Installation) Ancestors() []string {
	out := DefaultFrameOrigins(i.Kind, i.Settings)
	seen := map[string]bool{}
	for _, o := range out {
		seen[o] = true
	}
	for _, o := range i.FrameOrigins {
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}

// DefaultFrameOrigins are the origins a kind's helpdesk frames apps from:
// the Chatwoot instance, Help Scout's web app, the two domains Front
// documents, the Zendesk account.
func DefaultFrameOrigins(k Kind, s Settings) []string {
	switch k {
	case Chatwoot, Zendesk:
		if o := Origin(s.BaseURL); o != "" {
			return []string{o}
		}
	case HelpScout:
		return []string{"https://secure.helpscout.net"}
	case Front:
		return []string{"https://*.frontapp.com", "https://*.frontapplication.com"}
	}
	return nil
}

// Contact is who a helpdesk says a conversation is with: the emails come
// from its API, normalized and deduplicated, at most MaxEmails.
type Contact struct {
	Emails []string
	Name   string
}

// MaxEmails bounds a contact's addresses, as an embed token's.
const MaxEmails = 5

// NewContact normalizes a helpdesk's addresses for a contact, dropping the
// ones that are not addresses and keeping the first MaxEmails.
func NewContact(name string, emails ...string) (Contact, error) {
	c := Contact{Name: strings.TrimSpace(name)}
	if len(c.Name) > 200 {
		c.Name = c.Name[:200]
	}
	seen := map[string]bool{}
	for _, e := range emails {
		n, err := domain.NormalizeEmail(e)
		if err != nil || seen[n] {
			continue
		}
		seen[n] = true
		c.Emails = append(c.Emails, n)
		if len(c.Emails) == MaxEmails {
			break
		}
	}
	if len(c.Emails) == 0 {
		return Contact{}, Reject(ErrNoEmail, "This contact has no email address in the helpdesk, so there is nothing to look up in Shopify.")
	}
	return c, nil
}

// Adapter asks one kind of helpdesk who a reference names. The reference
// is the helpdesk's own id (a Chatwoot contact, a Help Scout customer, a
// Front conversation, a Zendesk ticket), from a signed query or the page;
// the answer comes from the helpdesk's API alone.
type Adapter interface {
	Contact(ctx context.Context, inst Installation, ref string) (Contact, error)
	// Check tries the installation's credentials, for the admin's test
	// button.
	Check(ctx context.Context, inst Installation) error
}

// The reasons a helpdesk request is refused. Reject wraps one in a
// *domain.Error whose message tells the admin what to fix; logs and
// metrics name the reason.
var (
	ErrUnknownInstallation = errors.New("installation unknown")
	ErrBadProof            = errors.New("proof invalid")
	ErrExpired             = errors.New("proof expired")
	ErrUnknownContact      = errors.New("contact unknown")
	ErrWrongAccount        = errors.New("contact of another account")
	ErrNoEmail             = errors.New("contact has no email")
	ErrCredentials         = errors.New("helpdesk refused credentials")
	ErrUnavailable         = errors.New("helpdesk unavailable")
	ErrNotConfigured       = errors.New("installation incomplete")
	ErrBadReference        = errors.New("reference malformed")
	ErrRateLimited         = errors.New("rate limited")
)

// Reject builds the in-frame refusal for a reason.
func Reject(reason error, message string, args ...any) error {
	return &domain.Error{Kind: kindFor(reason), Message: fmt.Sprintf(message, args...), Err: reason}
}

// kindFor is the status family a reason answers with: 429 for the rate
// limit, 401 for every other refusal.
func kindFor(reason error) domain.Kind {
	if reason == ErrRateLimited {
		return domain.KindTooManyRequests
	}
	return domain.KindUnauthorized
}

// ReasonOf names the reason an error carries, for logs and metrics; "error"
// for anything else.
func ReasonOf(err error) string {
	for _, r := range []error{ErrUnknownInstallation, ErrBadProof, ErrExpired, ErrUnknownContact, ErrWrongAccount, ErrNoEmail,
		ErrCredentials, ErrUnavailable, ErrNotConfigured, ErrBadReference, ErrRateLimited} {
		if errors.Is(err, r) {
			return strings.ReplaceAll(r.Error(), " ", "_")
		}
	}
	return "error"
}

// NewID returns a random installation ID: 20 base32 characters, 100 bits.
func NewID() (string, error) {
	b := make([]byte, 13)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new installation id: %w", err)
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:20], nil
}

var idShape = regexp.MustCompile(`^[a-z2-7]{20}$`)

// ValidID reports whether s has an installation ID's shape, so that junk
// is refused before the database is asked.
func ValidID(s string) bool { return idShape.MatchString(s) }

// numericRef matches the ids Chatwoot, Help Scout and Zendesk use.
var numericRef = regexp.MustCompile(`^[1-9][0-9]{0,18}$`)

// NumericRef checks a numeric id from a page or query before it goes into
// an API path.
func NumericRef(ref, what string) error {
	if !numericRef.MatchString(ref) {
		return Reject(ErrBadReference, "The helpdesk sent a %s that isn't one. Reopen the conversation; if it keeps happening, ask an admin to check the installation.", what)
	}
	return nil
}

// Handle names an installation in logs without its ID, which for Chatwoot
// is what opens the page: the first 8 hex digits of the ID's SHA-256. The
// admin's lists show it too, so an operator can match log lines.
func Handle(id string) string {
	sum := sha256.Sum256([]byte(id))
	return "inst_" + hex.EncodeToString(sum[:4])
}
