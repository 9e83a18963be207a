package fakehelpdesk

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Chatwoot is a fake Chatwoot instance: accounts with contacts and
// conversations, an agent's access token, and the dashboard's conversation
// page that hosts a Dashboard App.
type Chatwoot struct {
	mu       sync.Mutex
	token    string
	accounts map[int64][]Person // account → contacts
	calls    int
}

// NewChatwoot returns a fake whose agent token opens every account.
func NewChatwoot(token string) *Chatwoot {
	return &Chatwoot{token: token, accounts: map[int64][]Person{}}
}

// AddContact adds a contact to an account.
func (c *Chatwoot) AddContact(account int64, p Person) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.accounts[account] = append(c.accounts[account], p)
}

// Calls counts the contact API calls the fake answered.
func (c *Chatwoot) Calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

func (c *Chatwoot) contactJSON(p Person) map[string]any {
	email := any(nil)
	if len(p.Emails) > 0 {
		email = p.Emails[0]
	}
	return map[string]any{"id": p.ID, "name": p.Name, "email": email, "phone_number": nil, "identifier": nil,
		"availability_status": "offline", "custom_attributes": map[string]any{}, "contact_inboxes": []any{}}
}

// ServeHTTP serves the API and the dashboard page.
func (c *Chatwoot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case len(parts) >= 5 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "accounts" && parts[4] == "contacts":
		c.api(w, r, parts)
	case len(parts) == 5 && parts[0] == "app" && parts[1] == "accounts" && parts[3] == "conversations":
		c.page(w, r, parts)
	default:
		http.NotFound(w, r)
	}
}

func (c *Chatwoot) api(w http.ResponseWriter, r *http.Request, parts []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if r.Header.Get("api_access_token") != c.token {
		writeJSON(w, http.StatusUnauthorized, `{"error":"Invalid Access Token"}`)
		return
	}
	account, _ := strconv.ParseInt(parts[3], 10, 64)
	contacts, ok := c.accounts[account]
	if !ok {
		writeJSON(w, http.StatusUnauthorized, `{"error":"You are not authorized to access this account"}`)
		return
	}
	if len(parts) == 5 {
		var list []any
		for _, p := range contacts {
			list = append(list, c.contactJSON(p))
		}
		b, _ := json.Marshal(map[string]any{"meta": map[string]any{"count": len(list), "current_page": 1}, "payload": list})
		writeJSON(w, http.StatusOK, string(b))
		return
	}
	// Chatwoot finds the contact within the account in the path only.
	id, _ := strconv.ParseInt(parts[5], 10, 64)
	for _, p := range contacts {
		if p.ID == id && len(parts) == 6 {
			b, _ := json.Marshal(map[string]any{"payload": c.contactJSON(p)})
			writeJSON(w, http.StatusOK, string(b))
			return
		}
	}
	writeJSON(w, http.StatusNotFound, `{"error":"Resource could not be found"}`)
}

// ChatwootPageURL is the dashboard page of an account's conversation with
// a contact, hosting app.
func ChatwootPageURL(base string, account, contactID int64, app string) string {
	return fmt.Sprintf("%s/app/accounts/%d/conversations/%d?app=%s", base, account, contactID, urlQueryEscape(app))
}

// page serves /app/accounts/{account}/conversations/{contact}?app=URL:
// the conversation with that contact, the app framed beside it. Chatwoot's
// Frame.vue posts the context on the frame's load and on fetch-info from
// that frame only; the page's buttons change conversation and theme as an
// agent would. Forged contexts from other windows are the browser tests'
// own to post (internal/e2e/helpdesk_browser_test.go).
func (c *Chatwoot) page(w http.ResponseWriter, r *http.Request, parts []string) {
	account, _ := strconv.ParseInt(parts[2], 10, 64)
	current, _ := strconv.ParseInt(parts[4], 10, 64)
	app := r.URL.Query().Get("app")
	c.mu.Lock()
	var contacts []map[string]any
	var links []link
	for _, p := range c.accounts[account] {
		contacts = append(contacts, c.contactJSON(p))
		links = append(links, link{ChatwootPageURL("", account, p.ID, app), p.Name})
	}
	c.mu.Unlock()
	ctx, _ := json.Marshal(map[string]any{"account": account, "current": current, "contacts": contacts})
	script := `
var state = ` + string(ctx) + `;
var theme = new URLSearchParams(location.search).get("theme") || "light";
var frame = document.getElementById("dashboard-app--frame-0-0");
function contactByID(id){ for (var i=0;i<state.contacts.length;i++){ if (state.contacts[i].id===id) return state.contacts[i]; } return {id:id}; }
function context(){
  var contact = contactByID(state.current);
  return {event:"appContext", data:{
    conversation:{id: state.current, account_id: state.account, inbox_id: 1, status:"open", meta:{sender: contact, assignee:null}, messages:[]},
    contact: contact,
    currentAgent:{id: 3, name:"Agent", email:"agent@example.com"},
    customAttributes: [],
    theme: theme}};
}
function send(){ frame.contentWindow.postMessage(JSON.stringify(context()), "*"); document.body.setAttribute("data-sent", String(Number(document.body.getAttribute("data-sent")||0)+1)); }
frame.addEventListener("load", send);
window.addEventListener("message", function(e){
  if (typeof e.data !== "string" || e.data !== "chatwoot-dashboard-app:fetch-info") return;
  if (e.source !== frame.contentWindow) return;
  document.body.setAttribute("data-fetch-info", "1");
  send();
});
document.getElementById("next-contact").addEventListener("click", function(){
  var ids = state.contacts.map(function(c){return c.id});
  state.current = ids[(ids.indexOf(state.current)+1) % ids.length];
  document.querySelector("[data-testid=host-heading]").textContent = "Conversation with contact " + state.current;
  send();
});
document.getElementById("toggle-theme").addEventListener("click", function(){ theme = theme === "dark" ? "light" : "dark"; send(); });
document.getElementById("send-unknown").addEventListener("click", function(){ state.current = 999999; send(); });
`
	hostPage.Execute(w, hostData{
		Title: "Chatwoot (fake)", Heading: fmt.Sprintf("Conversation with contact %d", current), Links: links,
		Buttons: []button{{"next-contact", "Next conversation"}, {"toggle-theme", "Toggle theme"}, {"send-unknown", "Conversation with an unknown contact"}},
		Frame:   template.HTML(`<iframe id="dashboard-app--frame-0-0" title="shopcard" src="` + template.HTMLEscapeString(app) + `"></iframe>`),
		Script:  template.JS(script),
	})
}
