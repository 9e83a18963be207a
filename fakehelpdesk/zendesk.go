package fakehelpdesk

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"shopcard/inbox/zendesk"
)

// Zendesk is a fake Zendesk account: tickets and users behind API token
// authentication, a private app's key pair and installation, and the agent
// view's ticket page that hosts the app with signed URLs.
type Zendesk struct {
	mu             sync.Mutex
	base           string // the account's URL, once served
	email, token   string
	AppID          int64
	InstallationID int64
	key            *rsa.PrivateKey
	otherKey       *rsa.PrivateKey
	users          map[int64]Person
	tickets        map[int64]int64 // ticket → requester
	now            func() time.Time
}

// zendeskKeys are the fake app's signing key and a key that is not its,
// made once per process: every fake Zendesk is the same app (AppID 7001,
// installation 360001), as a real one's key is the app's, and two 2048-bit
// RSA keys take about 0.2 s of CPU under the race detector, for every
// fake a test starts.
var zendeskKeys = sync.OnceValues(func() ([2]*rsa.PrivateKey, error) {
	var keys [2]*rsa.PrivateKey
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return keys, err
		}
		keys[i] = k
	}
	return keys, nil
})

// NewZendesk returns a fake whose API user is email with token, and whose
// app (AppID 7001) is installed as installation 360001.
func NewZendesk(email, token string, now func() time.Time) (*Zendesk, error) {
	keys, err := zendeskKeys()
	if err != nil {
		return nil, err
	}
	key, other := keys[0], keys[1]
	return &Zendesk{email: email, token: token, AppID: 7001, InstallationID: 360001, key: key, otherKey: other,
		users: map[int64]Person{}, tickets: map[int64]int64{}, now: now}, nil
}

// SetBaseURL tells the fake the URL it is served at, which its tokens'
// issuer and audience name.
func (z *Zendesk) SetBaseURL(u string) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.base = strings.TrimRight(u, "/")
}

// PublicKeyPEM is the app's public key, as GET
// /api/v2/apps/{app_id}/public_key.pem gives it.
func (z *Zendesk) PublicKeyPEM() string {
	der, _ := x509.MarshalPKIXPublicKey(&z.key.PublicKey)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// AddTicket adds a ticket with its requester.
func (z *Zendesk) AddTicket(ticket int64, requester Person) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.users[requester.ID] = requester
	z.tickets[ticket] = requester.ID
}

// SetRequester changes a ticket's requester to another known user.
func (z *Zendesk) SetRequester(ticket, user int64) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.tickets[ticket] = user
}

// Forgeries a ticket page can sign with, for tests.
const (
	ForgeWrongKey = "wrong-key"
	ForgeExpired  = "expired"
	ForgeAudience = "audience"
)

// Token signs the app's first request as Zendesk does, or forged.
func (z *Zendesk) Token(forge string) (string, error) {
	z.mu.Lock()
	base := z.base
	z.mu.Unlock()
	now := z.now()
	installation := z.InstallationID
	if forge == ForgeAudience {
		installation++
	}
	claims := jwt.MapClaims{
		"iss": zendesk.Issuer(base), "aud": zendesk.Audience(base, installation),
		"sub": base + "/api/v2/users/3.json", "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"qsh": "fake", "cnf": map[string]any{"jku": base + "/api/v2/apps/installations/" + strconv.FormatInt(z.InstallationID, 10) + "/jwks.json"},
		"context": map[string]any{"product": "support", "location": "ticket_sidebar"},
	}
	if forge == ForgeExpired {
		claims["exp"] = now.Add(-10 * time.Minute).Unix()
	}
	key := z.key
	if forge == ForgeWrongKey {
		key = z.otherKey
	}
	return jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
}

// ServeHTTP serves the API and the agent view.
func (z *Zendesk) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/api/v2/"):
		z.api(w, r, strings.Split(strings.TrimPrefix(p, "/api/v2/"), "/"))
	case strings.HasPrefix(p, "/agent/tickets/"):
		z.page(w, r)
	case strings.HasPrefix(p, "/_fake/tickets/") && r.Method == http.MethodPost:
		// The test API behind the page's "change requester" button.
		ticket, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(p, "/_fake/tickets/"), "/rotate"), 10, 64)
		z.mu.Lock()
		cur := z.tickets[ticket]
		var next int64
		for id := range z.users {
			if id != cur && (next == 0 || id < next) {
				next = id
			}
		}
		if next != 0 {
			z.tickets[ticket] = next
		}
		z.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

func (z *Zendesk) api(w http.ResponseWriter, r *http.Request, parts []string) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != z.email+"/token" || pass != z.token {
		writeJSON(w, http.StatusUnauthorized, `{"error":"Couldn't authenticate you"}`)
		return
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	id := func(s string) int64 { n, _ := strconv.ParseInt(strings.TrimSuffix(s, ".json"), 10, 64); return n }
	switch {
	case len(parts) == 2 && parts[0] == "users" && parts[1] == "me.json":
		writeJSON(w, http.StatusOK, `{"user":{"id":3,"name":"Admin","email":"`+z.email+`","role":"admin"}}`)
	case len(parts) == 2 && parts[0] == "tickets":
		requester, ok := z.tickets[id(parts[1])]
		if !ok {
			writeJSON(w, http.StatusNotFound, `{"error":"RecordNotFound","description":"Not found"}`)
			return
		}
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"ticket":{"id":%d,"subject":"Where is my order?","requester_id":%d,"status":"open"}}`, id(parts[1]), requester))
	case len(parts) == 2 && parts[0] == "users":
		u, ok := z.users[id(parts[1])]
		if !ok {
			writeJSON(w, http.StatusNotFound, `{"error":"RecordNotFound","description":"Not found"}`)
			return
		}
		b, _ := json.Marshal(map[string]any{"user": map[string]any{"id": u.ID, "name": u.Name, "email": u.Emails[0], "role": "end-user"}})
		writeJSON(w, http.StatusOK, string(b))
	case len(parts) == 3 && parts[0] == "users" && parts[2] == "identities.json":
		u, ok := z.users[id(parts[1])]
		if !ok {
			writeJSON(w, http.StatusNotFound, `{"error":"RecordNotFound","description":"Not found"}`)
			return
		}
		var ids []any
		for i, e := range u.Emails {
			ids = append(ids, map[string]any{"id": i + 1, "user_id": u.ID, "type": "email", "value": e, "verified": true, "primary": i == 0})
		}
		b, _ := json.Marshal(map[string]any{"identities": ids, "next_page": nil, "count": len(ids)})
		writeJSON(w, http.StatusOK, string(b))
	case len(parts) == 3 && parts[0] == "apps" && parts[2] == "public_key.pem" && id(parts[1]) == z.AppID:
		w.Header().Set("Content-Type", "application/x-pem-file")
		w.Write([]byte(z.PublicKeyPEM()))
	default:
		writeJSON(w, http.StatusNotFound, `{"error":"InvalidEndpoint","description":"Not found"}`)
	}
}

// page serves /agent/tickets/{id}?app=URL: the ticket with the app in its
// sidebar. As Zendesk does with signedUrls, it POSTs the app's first page
// into the frame with the token, adding origin and app_guid to the URL,
// then answers the ZAF client: the handshake with app.registered, get
// requests, and event subscriptions. ?forge=… signs the token wrongly.
// ?hold=1 keeps the answers to get requests until the page's
// releaseReplies() is called, counting them in the body's data-held, so
// that a test can post a forged answer while the app waits for one.
func (z *Zendesk) page(w http.ResponseWriter, r *http.Request) {
	ticket, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/agent/tickets/"), 10, 64)
	token, err := z.Token(r.URL.Query().Get("forge"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	z.mu.Lock()
	origin := z.base
	z.mu.Unlock()
	app := r.URL.Query().Get("app")
	sep := "?"
	if strings.Contains(app, "?") {
		sep = "&"
	}
	action := app + sep + url.Values{"origin": {origin}, "app_guid": {"fake-app-guid-1"}}.Encode()
	script := `
var ticketID = ` + strconv.FormatInt(ticket, 10) + `;
var frame = document.getElementById("app");
var subscribed = {};
var hold = new URLSearchParams(location.search).get("hold") === "1", held = [];
function reply(msg){ frame.contentWindow.postMessage(JSON.stringify(msg), "*"); }
function answer(msg){
  if (!hold) { reply(msg); return; }
  held.push(msg);
  document.body.setAttribute("data-held", String(held.length));
}
window.releaseReplies = function(){ hold = false; held.splice(0).forEach(reply); };
window.addEventListener("message", function(e){
  if (e.source !== frame.contentWindow || typeof e.data !== "string") return;
  var msg; try { msg = JSON.parse(e.data); } catch (err) { return; }
  if (msg.key === "iframe.handshake") {
    document.body.setAttribute("data-handshake", "1");
    reply({key:"zaf.app.registered", message:{context:{product:"support", location:"ticket_sidebar", instanceGuid: msg.appGuid, ticketId: ticketID}, metadata:{appId: ` + strconv.FormatInt(z.AppID, 10) + `, installationId: ` + strconv.FormatInt(z.InstallationID, 10) + `}}});
  } else if (msg.request === "get") {
    var result = {errors:{}};
    msg.params.forEach(function(p){ if (p === "ticket.id") result[p] = ticketID; else result.errors[p] = {message:"no such path"}; });
    answer({id: msg.id, result: result});
  } else if (typeof msg.key === "string" && msg.key.indexOf("iframe.on:") === 0) {
    subscribed[msg.key.slice(10)] = true;
  }
});
document.getElementById("change-requester").addEventListener("click", function(){
  fetch("/_fake/tickets/" + ticketID + "/rotate", {method:"POST"}).then(function(){
    if (subscribed["ticket.requester.id.changed"]) reply({key:"zaf.ticket.requester.id.changed", message: null});
  });
});
document.getElementById("zaf-form").submit();
`
	hostPage.Execute(w, hostData{
		Title: "Zendesk (fake)", Heading: fmt.Sprintf("Ticket #%d", ticket),
		Buttons: []button{{"change-requester", "Change the requester"}},
		Frame: template.HTML(`<form id="zaf-form" method="post" target="app" action="` + template.HTMLEscapeString(action) + `"><input type="hidden" name="token" value="` +
			template.HTMLEscapeString(token) + `"></form><iframe name="app" id="app" title="shopcard"></iframe>`),
		Script: template.JS(script),
	})
}
