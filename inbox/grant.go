package inbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"time"

	"shopcard/domain"
)

// GrantTTL is how long a helpdesk page may ask for sidebars after its proof
// was checked: a working day, since Chatwoot and Front keep one frame open
// while the agent moves from conversation to conversation.
const GrantTTL = 12 * time.Hour

// A grant is what a helpdesk page that passed its kind's proof sends back
// with each request for a contact's sidebar: the installation it is for and
// when it ends, signed with a key derived from the workspace's embed
// secret. It carries no contact: each sidebar still asks the helpdesk's
// API who the contact is. It travels in a form field, never a cookie, so
// it is no ambient authority a cross-site request could use.

// grantKey derives the grants' key from an embed secret, so that a grant
// can never pass for an embed token or the other way round.
func grantKey(secret domain.Secret) []byte {
	m := hmac.New(sha256.New, []byte(secret.Reveal()))
	m.Write([]byte("shopcard inbox grant v1"))
	return m.Sum(nil)
}

// SignGrant issues a grant for an installation, valid for ttl.
func SignGrant(secret domain.Secret, installationID string, now time.Time, ttl time.Duration) string {
	var exp [8]byte
	binary.BigEndian.PutUint64(exp[:], uint64(now.Add(ttl).Unix()))
	payload := installationID + "." + base64.RawURLEncoding.EncodeToString(exp[:])
	m := hmac.New(sha256.New, grantKey(secret))
	m.Write([]byte(payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// VerifyGrant checks a grant for an installation against the secrets that
// may have signed it (the current embed secret and, during a rotation, the
// previous one).
func VerifyGrant(secrets []domain.Secret, installationID, grant string, now time.Time) error {
	refuse := Reject(ErrBadProof, "This sidebar's session isn't valid for this installation. Reopen the conversation; if it keeps happening, ask an admin to check the installation.")
	if len(grant) > 200 {
		return refuse
	}
	parts := strings.Split(grant, ".")
	if len(parts) != 3 || parts[0] != installationID {
		return refuse
	}
	exp, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || len(exp) != 8 {
		return refuse
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return refuse
	}
	ok := false
	for _, s := range secrets {
		m := hmac.New(sha256.New, grantKey(s))
		m.Write([]byte(parts[0] + "." + parts[1]))
		if hmac.Equal(m.Sum(nil), sig) {
			ok = true
		}
	}
	if !ok {
		return refuse
	}
	if now.Unix() > int64(binary.BigEndian.Uint64(exp)) {
		return Reject(ErrExpired, "This sidebar has been open too long. Reopen the conversation (or reload the helpdesk) to start again.")
	}
	return nil
}
