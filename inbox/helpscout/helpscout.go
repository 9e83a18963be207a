package helpscout

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"shopcard/inbox"
)

const helpdesk = "Help Scout"

// DefaultAPI is Help Scout's Inbox API.
const DefaultAPI = "https://api.helpscout.net"

// Adapter asks Help Scout's Inbox API about customers. It keeps each
// installation's access token (client credentials; Help Scout's last two
// days) until shortly before it ends.
type Adapter struct {
	Client *http.Client
	Now    func() time.Time

	mu     sync.Mutex
	tokens map[string]accessToken // installation ID + client ID → token
}

type accessToken struct {
	value   string
	expires time.Time
}

// New returns an adapter with shopcard's bounded, redirect-refusing client.
func New(now func() time.Time) *Adapter {
	return &Adapter{Client: inbox.NewHTTPClient(), Now: now, tokens: map[string]accessToken{}}
}

func apiBase(s inbox.Settings) string {
	if s.BaseURL != "" {
		return s.BaseURL
	}
	return DefaultAPI
}

// customer is the part of GET /v2/customers/{id} shopcard reads.
type customer struct {
	ID        int64  `json:"id"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Embedded  struct {
		Emails []struct {
			Value string `json:"value"`
		} `json:"emails"`
	} `json:"_embedded"`
}

// Contact asks Help Scout for a customer's name and emails.
func (a *Adapter) Contact(ctx context.Context, inst inbox.Installation, ref string) (inbox.Contact, error) {
	if err := inbox.NumericRef(ref, "customer id"); err != nil {
		return inbox.Contact{}, err
	}
	call, err := a.authorized(ctx, inst, func(token string) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, inbox.JoinURL(apiBase(inst.Settings), "v2", "customers", ref), nil)
		if req != nil {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return req, err
	})
	if err != nil {
		return inbox.Contact{}, err
	}
	if call.Status == http.StatusNotFound {
		return inbox.Contact{}, inbox.Reject(inbox.ErrUnknownContact, "Help Scout doesn't know this customer (it may have been deleted or merged). Reopen the conversation.")
	}
	if call.Status != http.StatusOK {
		return inbox.Contact{}, call.Unexpected(helpdesk)
	}
	var c customer
	if err := call.Decode(&c, helpdesk); err != nil {
		return inbox.Contact{}, err
	}
	if strconv.FormatInt(c.ID, 10) != ref {
		return inbox.Contact{}, inbox.Reject(inbox.ErrUnknownContact, "Help Scout answered about another customer than the one asked for.")
	}
	var emails []string
	for _, e := range c.Embedded.Emails {
		emails = append(emails, e.Value)
	}
	return inbox.NewContact(strings.TrimSpace(c.FirstName+" "+c.LastName), emails...)
}

// Check asks for an access token with the installation's client
// credentials.
func (a *Adapter) Check(ctx context.Context, inst inbox.Installation) error {
	a.forget(inst)
	_, err := a.token(ctx, inst)
	return err
}

// authorized sends a request with the installation's access token, asking
// for a new token once if Help Scout refuses the kept one.
func (a *Adapter) authorized(ctx context.Context, inst inbox.Installation, build func(token string) (*http.Request, error)) (inbox.Call, error) {
	for attempt := 0; ; attempt++ {
		token, err := a.token(ctx, inst)
		if err != nil {
			return inbox.Call{}, err
		}
		req, err := build(token)
		if err != nil {
			return inbox.Call{}, inbox.NotConfigured(helpdesk, "valid API URL")
		}
		call, err := inbox.Do(ctx, a.Client, req, helpdesk)
		if err != nil {
			return inbox.Call{}, err
		}
		if call.Status == http.StatusUnauthorized && attempt == 0 {
			a.forget(inst)
			continue
		}
		if err := call.CommonStatus(helpdesk, "OAuth app credentials"); err != nil {
			return inbox.Call{}, err
		}
		return call, nil
	}
}

func tokenKey(inst inbox.Installation) string { return inst.ID + "\x00" + inst.Settings.ClientID }

func (a *Adapter) forget(inst inbox.Installation) {
	a.mu.Lock()
	delete(a.tokens, tokenKey(inst))
	a.mu.Unlock()
}

// token returns a kept access token or asks for one:
// POST /v2/oauth2/token with grant_type=client_credentials.
func (a *Adapter) token(ctx context.Context, inst inbox.Installation) (string, error) {
	s := inst.Settings
	if s.ClientID == "" || s.ClientSecret.IsZero() {
		return "", inbox.NotConfigured(helpdesk, "OAuth app (App ID and App Secret)")
	}
	a.mu.Lock()
	t, ok := a.tokens[tokenKey(inst)]
	a.mu.Unlock()
	if ok && a.Now().Before(t.expires) {
		return t.value, nil
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.ClientID}, "client_secret": {s.ClientSecret.Reveal()}}
	req, err := http.NewRequest(http.MethodPost, inbox.JoinURL(apiBase(s), "v2", "oauth2", "token"), strings.NewReader(form.Encode()))
	if err != nil {
		return "", inbox.NotConfigured(helpdesk, "valid API URL")
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	call, err := inbox.Do(ctx, a.Client, req, helpdesk)
	if err != nil {
		return "", err
	}
	if call.Status == http.StatusBadRequest || call.Status == http.StatusUnauthorized || call.Status == http.StatusForbidden {
		return "", inbox.Reject(inbox.ErrCredentials, "Help Scout refused the installation's OAuth app (App ID and App Secret). Ask an admin to enter them again in shopcard (Inboxes).")
	}
	if err := call.CommonStatus(helpdesk, "OAuth app credentials"); err != nil {
		return "", err
	}
	if call.Status != http.StatusOK {
		return "", call.Unexpected(helpdesk)
	}
	var answer struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if err := call.Decode(&answer, helpdesk); err != nil {
		return "", err
	}
	if answer.AccessToken == "" {
		return "", inbox.Reject(inbox.ErrUnavailable, "Help Scout's token answer had no token.")
	}
	// Keep it until 5 minutes before Help Scout ends it.
	life := time.Duration(answer.ExpiresIn)*time.Second - 5*time.Minute
	if life > 0 {
		a.mu.Lock()
		a.tokens[tokenKey(inst)] = accessToken{value: answer.AccessToken, expires: a.Now().Add(life)}
		a.mu.Unlock()
	}
	return answer.AccessToken, nil
}
