// Package front is the adapter for Front plugins.
//
// Front loads a plugin in a sandboxed iframe and appends an auth_secret
// query parameter, unique to the app instance, which the plugin compares
// with the one in its settings (dev.frontapp.com, "Security"). The plugin
// learns the conversation from Front's plugin SDK in the page: the page
// posts '@frontapp/ui-sdk#WebViewBridge.handshake' to its parent with a
// MessagePort, and Front sends {type:"context_update", context:{type:
// "singleConversation", conversation:{id, recipient:{handle}}}} over it
// (@frontapp/plugin-sdk). That context is unsigned, so the page
// (static/front.js) sends only the conversation's id, and this adapter asks
// Front's Core API who it is with: GET /conversations/{id}, whose
// recipient is the conversation's main contact handle.
package front

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"net/http"
	"regexp"

	"shopcard/inbox"
)

const helpdesk = "Front"

// DefaultAPI is Front's Core API.
const DefaultAPI = "https://api2.frontapp.com"

// AuthSecretParam carries Front's auth secret in the plugin's URL.
const AuthSecretParam = "auth_secret"

// Adapter asks Front's Core API about conversations.
type Adapter struct {
	Client *http.Client
}

// New returns an adapter with shopcard's bounded, redirect-refusing client.
func New() *Adapter { return &Adapter{Client: inbox.NewHTTPClient()} }

func apiBase(s inbox.Settings) string {
	if s.BaseURL != "" {
		return s.BaseURL
	}
	return DefaultAPI
}

// VerifyAuthSecret compares the auth secret Front appended with the
// installation's, in constant time (both hashed first, so their lengths
// tell nothing either).
func VerifyAuthSecret(inst inbox.Installation, got string) error {
	if inst.Settings.AuthSecret.IsZero() {
		return inbox.NotConfigured(helpdesk, "auth secret")
	}
	if got == "" {
		return inbox.Reject(inbox.ErrBadProof, "Front didn't add its auth secret to this sidebar's address. Open the plugin from Front; if it keeps happening, ask an admin to check the plugin's URL in Front.")
	}
	want := sha256.Sum256([]byte(inst.Settings.AuthSecret.Reveal()))
	have := sha256.Sum256([]byte(got))
	if !hmac.Equal(want[:], have[:]) {
		return inbox.Reject(inbox.ErrBadProof, "Front's auth secret doesn't match the installation's. Ask an admin to copy the plugin's auth secret from Front's app settings into shopcard (Inboxes).")
	}
	return nil
}

// conversationID matches Front's conversation ids (cnv_ and base 36).
var conversationID = regexp.MustCompile(`^cnv_[0-9a-z]{1,20}$`)

// conversation is the part of GET /conversations/{id} shopcard reads.
type conversation struct {
	ID        string `json:"id"`
	Recipient *struct {
		Name   string `json:"name"`
		Handle string `json:"handle"`
		Role   string `json:"role"`
	} `json:"recipient"`
}

// Contact asks Front for a conversation's main recipient.
func (a *Adapter) Contact(ctx context.Context, inst inbox.Installation, ref string) (inbox.Contact, error) {
	if inst.Settings.APIToken.IsZero() {
		return inbox.Contact{}, inbox.NotConfigured(helpdesk, "API token")
	}
	if !conversationID.MatchString(ref) {
		return inbox.Contact{}, inbox.Reject(inbox.ErrBadReference, "Front sent a conversation id that isn't one. Reopen the conversation.")
	}
	call, err := a.get(ctx, inst.Settings, "conversations", ref)
	if err != nil {
		return inbox.Contact{}, err
	}
	if err := call.CommonStatus(helpdesk, "API token"); err != nil {
		return inbox.Contact{}, err
	}
	if call.Status == http.StatusNotFound {
		return inbox.Contact{}, inbox.Reject(inbox.ErrUnknownContact, "Front doesn't know this conversation, or the installation's API token can't see it. Ask an admin to use a token with access to this inbox.")
	}
	if call.Status != http.StatusOK {
		return inbox.Contact{}, call.Unexpected(helpdesk)
	}
	var c conversation
	if err := call.Decode(&c, helpdesk); err != nil {
		return inbox.Contact{}, err
	}
	if c.ID != ref {
		return inbox.Contact{}, inbox.Reject(inbox.ErrUnknownContact, "Front answered about another conversation than the one asked for.")
	}
	if c.Recipient == nil || c.Recipient.Handle == "" {
		return inbox.Contact{}, inbox.Reject(inbox.ErrNoEmail, "This Front conversation has no recipient to look up.")
	}
	// A recipient's handle is an email only on email conversations; a
	// phone number or a chat handle is refused by NewContact.
	return inbox.NewContact(c.Recipient.Name, c.Recipient.Handle)
}

// Check asks Front who the API token belongs to (GET /me).
func (a *Adapter) Check(ctx context.Context, inst inbox.Installation) error {
	if inst.Settings.APIToken.IsZero() {
		return inbox.NotConfigured(helpdesk, "API token")
	}
	call, err := a.get(ctx, inst.Settings, "me")
	if err != nil {
		return err
	}
	if err := call.CommonStatus(helpdesk, "API token"); err != nil {
		return err
	}
	if call.Status != http.StatusOK {
		return call.Unexpected(helpdesk)
	}
	return nil
}

func (a *Adapter) get(ctx context.Context, s inbox.Settings, segments ...string) (inbox.Call, error) {
	req, err := http.NewRequest(http.MethodGet, inbox.JoinURL(apiBase(s), segments...), nil)
	if err != nil {
		return inbox.Call{}, inbox.NotConfigured(helpdesk, "valid API URL")
	}
	req.Header.Set("Authorization", "Bearer "+s.APIToken.Reveal())
	return inbox.Do(ctx, a.Client, req, helpdesk)
}
