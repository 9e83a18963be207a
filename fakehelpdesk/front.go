package fakehelpdesk

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Front is a fake Front: the Core API's conversation and /me endpoints,
// and an inbox page that hosts a plugin the way Front does.
type Front struct {
	mu            sync.Mutex
	token         string
	authSecret    string
	conversations map[string]Person // conversation id → recipient
	order         []string
}

// NewFront returns a fake whose API token is token and whose plugin's auth
// secret is authSecret.
func NewFront(token, authSecret string) *Front {
	return &Front{token: token, authSecret: authSecret, conversations: map[string]Person{}}
}

// AddConversation adds a conversation with a recipient (its first email is
// the handle).
func (f *Front) AddConversation(id string, recipient Person) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.conversations[id] = recipient
	f.order = append(f.order, id)
}

// ServeHTTP serves the API and the inbox page.
func (f *Front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/me":
		if !f.authorized(r) {
			writeJSON(w, http.StatusUnauthorized, `{"_error":{"status":401,"title":"Unauthenticated","message":"Invalid token"}}`)
			return
		}
		writeJSON(w, http.StatusOK, `{"_links":{"self":"fake"},"name":"shopcard token","id":"cmp_1"}`)
	case strings.HasPrefix(r.URL.Path, "/conversations/"):
		f.conversation(w, r)
	case r.URL.Path == "/inbox":
		f.page(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (f *Front) authorized(r *http.Request) bool {
	return r.Header.Get("Authorization") == "Bearer "+f.token
}

func (f *Front) conversation(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(r) {
		writeJSON(w, http.StatusUnauthorized, `{"_error":{"status":401,"title":"Unauthenticated","message":"Invalid token"}}`)
		return
	}
	id := strings.TrimPrefix(r.URL.Path, "/conversations/")
	f.mu.Lock()
	p, ok := f.conversations[id]
	f.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"_error":{"status":404,"title":"Not found","message":"Unknown conversation"}}`)
		return
	}
	b, _ := json.Marshal(map[string]any{"_links": map[string]any{"self": "fake"}, "id": id, "subject": "Where is my order?", "status": "assigned",
		"recipient": map[string]any{"_links": map[string]any{}, "name": p.Name, "handle": p.Emails[0], "role": "from"}})
	writeJSON(w, http.StatusOK, string(b))
}

// page serves /inbox?plugin=URL: Front's view with the plugin framed at its
// URL plus auth_secret. It answers the SDK's handshake by keeping the port
// and sending the context over it; the buttons open another conversation
// or none. ?secret=wrong appends a wrong auth secret.
func (f *Front) page(w http.ResponseWriter, r *http.Request) {
	secret := f.authSecret
	if s := r.URL.Query().Get("secret"); s != "" {
		secret = s
	}
	plugin := r.URL.Query().Get("plugin")
	sep := "?"
	if strings.Contains(plugin, "?") {
		sep = "&"
	}
	src := plugin + sep + "auth_secret=" + url.QueryEscape(secret)
	f.mu.Lock()
	var convs []map[string]any
	for _, id := range f.order {
		p := f.conversations[id]
		convs = append(convs, map[string]any{"id": id, "type": "email", "recipient": map[string]any{"handle": p.Emails[0], "name": p.Name, "type": "email"}})
	}
	f.mu.Unlock()
	state, _ := json.Marshal(convs)
	script := `
var conversations = ` + string(state) + `;
var current = 0, port = null;
var frame = document.getElementById("plugin");
function context(){
  if (current < 0) return {id:"ctx-none", type:"noConversation", functionArities:{}, teammate:{id:"tea_1", name:"Agent", email:"agent@example.com"}};
  return {id:"ctx-"+current, type:"singleConversation", entryPointId:"ep_1", hostId:"host_1", functionArities:{}, preferences:{}, authentication:{},
    teammate:{id:"tea_1", name:"Agent", email:"agent@example.com"}, conversation: conversations[current]};
}
function send(){ if (port) port.postMessage({type:"context_update", context: context()}); }
window.addEventListener("message", function(e){
  if (e.source !== frame.contentWindow || e.data !== "@frontapp/ui-sdk#WebViewBridge.handshake" || !e.ports.length) return;
  port = e.ports[0];
  document.body.setAttribute("data-handshake", "1");
  send();
});
document.getElementById("next-conversation").addEventListener("click", function(){ current = (current+1) % conversations.length; send(); });
document.getElementById("no-conversation").addEventListener("click", function(){ current = -1; send(); });
`
	hostPage.Execute(w, hostData{
		Title: "Front (fake)", Heading: fmt.Sprintf("%d conversations", len(convs)),
		Buttons: []button{{"next-conversation", "Next conversation"}, {"no-conversation", "Close the conversation"}},
		Frame:   template.HTML(`<iframe id="plugin" title="shopcard" sandbox="allow-scripts allow-same-origin allow-forms allow-popups" src="` + template.HTMLEscapeString(src) + `"></iframe>`),
		Script:  template.JS(script),
	})
}
