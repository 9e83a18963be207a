// Package chatwoot is the adapter for Chatwoot's Dashboard Apps.
//
// Chatwoot frames the app's URL in the conversation view and tells it the
// context by postMessage: a JSON string {"event":"appContext","data":{
// "conversation":…, "contact":…, "currentAgent":…}} sent to target origin
// "*" on load, again when the app posts 'chatwoot-dashboard-app:fetch-info'
// to its parent, and (in newer versions, with data.theme) when the context
// or the theme changes (app/javascript/dashboard/components/widgets/
// DashboardApp/Frame.vue and its spec). The message is unsigned, so the page
// (static/chatwoot.js) listens only to the installation's Chatwoot origin,
// sends just the contact's id, and this adapter asks Chatwoot's API who
// that is: GET /api/v1/accounts/{account_id}/contacts/{id} with the
// api_access_token header, within the installation's own account. The
// email shown is the one in Chatwoot's answer, never the message's.
package chatwoot

import (
	"context"
	"net/http"
	"strconv"

	"shopcard/inbox"
)

const helpdesk = "Chatwoot"

// Adapter asks a Chatwoot instance about contacts.
type Adapter struct {
	Client *http.Client
}

// New returns an adapter with shopcard's bounded, redirect-refusing client.
func New() *Adapter { return &Adapter{Client: inbox.NewHTTPClient()} }

// contactPayload is the part of Chatwoot's contact answer shopcard reads:
// {"payload": {"id": …, "name": …, "email": …}} (contacts/show.json.jbuilder).
type contactPayload struct {
	Payload struct {
		ID    int64  `json:"id"`
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"payload"`
}

// Contact asks Chatwoot for a contact of the installation's account.
// Chatwoot finds contacts within the account in the path only, so a
// contact of another account is a 404 like an unknown one.
func (a *Adapter) Contact(ctx context.Context, inst inbox.Installation, ref string) (inbox.Contact, error) {
	s := inst.Settings
	if s.BaseURL == "" || s.AccountID == 0 || s.APIToken.IsZero() {
		return inbox.Contact{}, inbox.NotConfigured(helpdesk, "URL, account or API token")
	}
	if err := inbox.NumericRef(ref, "contact id"); err != nil {
		return inbox.Contact{}, err
	}
	call, err := a.get(ctx, s, "contacts", ref)
	if err != nil {
		return inbox.Contact{}, err
	}
	if err := call.CommonStatus(helpdesk, "API access token"); err != nil {
		return inbox.Contact{}, err
	}
	if call.Status == http.StatusNotFound {
		return inbox.Contact{}, inbox.Reject(inbox.ErrUnknownContact, "Chatwoot doesn't know this contact in the installation's account (%d). If this Chatwoot has several accounts, ask an admin to add an installation for this one.", s.AccountID)
	}
	if call.Status != http.StatusOK {
		return inbox.Contact{}, call.Unexpected(helpdesk)
	}
	var p contactPayload
	if err := call.Decode(&p, helpdesk); err != nil {
		return inbox.Contact{}, err
	}
	// The answer must be about the contact asked for.
	if strconv.FormatInt(p.Payload.ID, 10) != ref {
		return inbox.Contact{}, inbox.Reject(inbox.ErrUnknownContact, "Chatwoot answered about another contact than the one asked for. Ask an admin to check the installation's Chatwoot URL.")
	}
	return inbox.NewContact(p.Payload.Name, p.Payload.Email)
}

// Check asks for the account's first page of contacts, which needs the
// token to belong to an agent of that account.
func (a *Adapter) Check(ctx context.Context, inst inbox.Installation) error {
	s := inst.Settings
	if s.BaseURL == "" || s.AccountID == 0 || s.APIToken.IsZero() {
		return inbox.NotConfigured(helpdesk, "URL, account or API token")
	}
	call, err := a.get(ctx, s, "contacts")
	if err != nil {
		return err
	}
	if err := call.CommonStatus(helpdesk, "API access token"); err != nil {
		return err
	}
	if call.Status == http.StatusNotFound {
		return inbox.Reject(inbox.ErrNotConfigured, "Chatwoot has no account %d at this URL. Check the account id (it is in the dashboard's address, /app/accounts/ID/…).", s.AccountID)
	}
	if call.Status != http.StatusOK {
		return call.Unexpected(helpdesk)
	}
	return nil
}

func (a *Adapter) get(ctx context.Context, s inbox.Settings, segments ...string) (inbox.Call, error) {
	path := append([]string{"api", "v1", "accounts", strconv.FormatInt(s.AccountID, 10)}, segments...)
	req, err := http.NewRequest(http.MethodGet, inbox.JoinURL(s.BaseURL, path...), nil)
	if err != nil {
		return inbox.Call{}, inbox.NotConfigured(helpdesk, "valid URL")
	}
	req.Header.Set("api_access_token", s.APIToken.Reveal())
	return inbox.Do(ctx, a.Client, req, helpdesk)
}
