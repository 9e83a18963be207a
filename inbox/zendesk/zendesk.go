// Package zendesk is the adapter for Zendesk apps (ZAF).
//
// With signedUrls in the app's manifest, Zendesk POSTs the app's first
// page with a form field named token: a JWT signed with RS256 by the app's
// key pair, whose public key Zendesk gives at GET
// /api/v2/apps/{app_id}/public_key.pem. Its iss is the account's host
// (SUBDOMAIN.zendesk.com), its aud the installation
// (https://SUBDOMAIN.zendesk.com/api/v2/apps/installations/ID.json), its
// sub the agent, and it lasts minutes; after it the app keeps its own
// session (developer.zendesk.com, "Building a server-side app, Part 5:
// Securing the app"). The ticket comes from the ZAF client in the page,
// which is unsigned, so the page (static/zendesk.js) sends only the
// ticket's id and this adapter asks Zendesk's API for its requester
// (GET /api/v2/tickets/{id}.json, then the user and its email identities),
// with the installation's API token.
package zendesk

import (
	"context"
	"crypto/rsa"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"shopcard/inbox"
)

const helpdesk = "Zendesk"

// Leeway is the clock skew allowed on the token's times.
const Leeway = 30 * time.Second

// TokenField is the form field Zendesk POSTs the token in.
const TokenField = "token"

// Issuer is the iss Zendesk's tokens carry for an account URL.
func Issuer(baseURL string) string {
	return hostOf(baseURL)
}

// Audience is the aud Zendesk's tokens carry for an app installation.
func Audience(baseURL string, appInstallationID int64) string {
	return baseURL + "/api/v2/apps/installations/" + strconv.FormatInt(appInstallationID, 10) + ".json"
}

func hostOf(u string) string {
	o := inbox.Origin(u)
	for i := 0; i < len(o); i++ {
		if o[i] == '/' && i+1 < len(o) && o[i+1] == '/' {
			return o[i+2:]
		}
	}
	return ""
}

// ParsePublicKey reads the app's public key, PEM-encoded.
func ParsePublicKey(pem string) (*rsa.PublicKey, error) {
	key, err := jwt.ParseRSAPublicKeyFromPEM([]byte(pem))
	if err != nil {
		return nil, inbox.Reject(inbox.ErrNotConfigured, "The Zendesk installation's public key can't be read: paste the whole PEM, from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----.")
	}
	return key, nil
}

// Claims are the token's claims shopcard reads.
type Claims struct {
	jwt.RegisteredClaims
	Context struct {
		Product  string `json:"product"`
		Location string `json:"location"`
	} `json:"context"`
}

// VerifyToken checks the token Zendesk POSTed: RS256 under the
// installation's public key, its issuer and audience, and its times.
func VerifyToken(inst inbox.Installation, token string, now time.Time) (Claims, error) {
	s := inst.Settings
	if s.PublicKeyPEM == "" || s.AppInstallationID == 0 || s.BaseURL == "" {
		return Claims{}, inbox.NotConfigured(helpdesk, "public key and app installation id")
	}
	key, err := ParsePublicKey(s.PublicKeyPEM)
	if err != nil {
		return Claims{}, err
	}
	if token == "" {
		return Claims{}, inbox.Reject(inbox.ErrBadProof, "Zendesk didn't sign this sidebar's request. Ask an admin to upload shopcard's app package again: its manifest turns signed URLs on.")
	}
	if len(token) > 8192 {
		return Claims{}, inbox.Reject(inbox.ErrBadProof, "Zendesk's token for this sidebar is too long to be one.")
	}
	var c Claims
	_, err = jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return key, nil },
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer(Issuer(s.BaseURL)),
		jwt.WithAudience(Audience(s.BaseURL, s.AppInstallationID)),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	switch {
	case err == nil:
		return c, nil
	case errors.Is(err, jwt.ErrTokenExpired), errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return Claims{}, inbox.Reject(inbox.ErrExpired, "Zendesk's token for this sidebar has expired. Reload the ticket.")
	case errors.Is(err, jwt.ErrTokenInvalidIssuer), errors.Is(err, jwt.ErrTokenInvalidAudience):
		return Claims{}, inbox.Reject(inbox.ErrBadProof, "Zendesk signed this sidebar's request for another account or app installation. Ask an admin to check the installation's Zendesk URL and app installation id.")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return Claims{}, inbox.Reject(inbox.ErrBadProof, "Zendesk's token for this sidebar wasn't signed by the app's key. Ask an admin to paste the app's current public key into shopcard (Inboxes).")
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return Claims{}, inbox.Reject(inbox.ErrBadProof, "Zendesk's token for this sidebar isn't valid yet: a clock is off.")
	}
	return Claims{}, inbox.Reject(inbox.ErrBadProof, "Zendesk's token for this sidebar can't be read.")
}

// Adapter asks Zendesk's API about tickets and their requesters.
type Adapter struct {
	Client *http.Client
}

// New returns an adapter with shopcard's bounded, redirect-refusing client.
func New() *Adapter { return &Adapter{Client: inbox.NewHTTPClient()} }

// Contact asks Zendesk for a ticket's requester: the ticket, the user, and
// the user's email identities.
func (a *Adapter) Contact(ctx context.Context, inst inbox.Installation, ref string) (inbox.Contact, error) {
	s := inst.Settings
	if s.APIToken.IsZero() || s.APIEmail == "" || s.BaseURL == "" {
		return inbox.Contact{}, inbox.NotConfigured(helpdesk, "API email and token")
	}
	if err := inbox.NumericRef(ref, "ticket id"); err != nil {
		return inbox.Contact{}, err
	}
	var t struct {
		Ticket struct {
			ID          int64 `json:"id"`
			RequesterID int64 `json:"requester_id"`
		} `json:"ticket"`
	}
	if err := a.getJSON(ctx, s, &t, "this ticket", "tickets", ref+".json"); err != nil {
		return inbox.Contact{}, err
	}
	if strconv.FormatInt(t.Ticket.ID, 10) != ref || t.Ticket.RequesterID == 0 {
		return inbox.Contact{}, inbox.Reject(inbox.ErrUnknownContact, "Zendesk's answer doesn't name this ticket's requester.")
	}
	uid := strconv.FormatInt(t.Ticket.RequesterID, 10)
	var u struct {
		User struct {
			ID    int64  `json:"id"`
			Name  string `json:"name"`
			Email string `json:"email"`
		} `json:"user"`
	}
	if err := a.getJSON(ctx, s, &u, "this ticket's requester", "users", uid+".json"); err != nil {
		return inbox.Contact{}, err
	}
	var ids struct {
		Identities []struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"identities"`
	}
	if err := a.getJSON(ctx, s, &ids, "this ticket's requester", "users", uid, "identities.json"); err != nil {
		return inbox.Contact{}, err
	}
	emails := []string{u.User.Email}
	for _, id := range ids.Identities {
		if id.Type == "email" {
			emails = append(emails, id.Value)
		}
	}
	return inbox.NewContact(u.User.Name, emails...)
}

// Check asks Zendesk who the API token belongs to.
func (a *Adapter) Check(ctx context.Context, inst inbox.Installation) error {
	s := inst.Settings
	if s.APIToken.IsZero() || s.APIEmail == "" || s.BaseURL == "" {
		return inbox.NotConfigured(helpdesk, "API email and token")
	}
	var me struct {
		User struct {
			ID int64 `json:"id"`
		} `json:"user"`
	}
	if err := a.getJSON(ctx, s, &me, "the API user", "users", "me.json"); err != nil {
		return err
	}
	// An anonymous answer (id null) means the credentials were ignored.
	if me.User.ID == 0 {
		return inbox.Reject(inbox.ErrCredentials, "Zendesk didn't accept the installation's API email and token. Ask an admin to enter them again in shopcard (Inboxes).")
	}
	return nil
}

func (a *Adapter) getJSON(ctx context.Context, s inbox.Settings, v any, what string, segments ...string) error {
	req, err := http.NewRequest(http.MethodGet, inbox.JoinURL(s.BaseURL, append([]string{"api", "v2"}, segments...)...), nil)
	if err != nil {
		return inbox.NotConfigured(helpdesk, "valid URL")
	}
	// API token authentication: "{email}/token" and the token, as Basic.
	req.SetBasicAuth(s.APIEmail+"/token", s.APIToken.Reveal())
	call, err := inbox.Do(ctx, a.Client, req, helpdesk)
	if err != nil {
		return err
	}
	if err := call.CommonStatus(helpdesk, "API email and token"); err != nil {
		return err
	}
	if call.Status == http.StatusNotFound {
		return inbox.Reject(inbox.ErrUnknownContact, "Zendesk doesn't know %s, or the installation's API user can't see it.", what)
	}
	if call.Status != http.StatusOK {
		return call.Unexpected(helpdesk)
	}
	return call.Decode(v, helpdesk)
}
