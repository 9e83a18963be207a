package fakehelpdesk

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"shopcard/inbox/helpscout"
)

// HelpScout is a fake Help Scout: the Inbox API's token and customer
// endpoints, and a conversation page whose app frame gets a signed query.
type HelpScout struct {
	mu           sync.Mutex
	clientID     string
	clientSecret string
	appSecret    string
	customers    map[int64]Person
	tokens       map[string]bool
}

// NewHelpScout returns a fake with one OAuth app (for the API) and one
// sidebar app, whose secret key signs the app's queries.
func NewHelpScout(clientID, clientSecret, appSecret string) *HelpScout {
	return &HelpScout{clientID: clientID, clientSecret: clientSecret, appSecret: appSecret, customers: map[int64]Person{}, tokens: map[string]bool{}}
}

// AddCustomer adds a customer.
func (h *HelpScout) AddCustomer(p Person) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.customers[p.ID] = p
}

// SignedAppURL is app's URL as Help Scout loads it for a conversation with
// a customer: Help Scout's context parameters, in its order, appended to
// the app's own URL, and the signature over them.
func (h *HelpScout) SignedAppURL(app string, conversation, customer int64) string {
	params := []helpscout.Param{
		{Key: "conversation-id", Value: strconv.FormatInt(conversation, 10)},
		{Key: "conversation-number", Value: strconv.FormatInt(conversation+1000, 10)},
		{Key: "customer-id", Value: strconv.FormatInt(customer, 10)},
		{Key: "mailbox-id", Value: "364558"},
		{Key: "user-id", Value: "772569"},
		{Key: "installation-ids", Value: "XGao7GBKoDV5"},
		{Key: "application-id", Value: "5Ma3boWZmlnA"},
		{Key: "application-slug", Value: "1-shopcard"},
	}
	var q []string
	for _, p := range params {
		q = append(q, url.QueryEscape(p.Key)+"="+url.QueryEscape(p.Value))
	}
	q = append(q, helpscout.SignatureParam+"="+url.QueryEscape(helpscout.Sign(h.appSecret, params)))
	sep := "?"
	if strings.Contains(app, "?") {
		sep = "&"
	}
	return app + sep + strings.Join(q, "&")
}

// ServeHTTP serves the API and the conversation page.
func (h *HelpScout) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/v2/oauth2/token" && r.Method == http.MethodPost:
		h.token(w, r)
	case strings.HasPrefix(r.URL.Path, "/v2/customers/"):
		h.customer(w, r)
	case strings.HasPrefix(r.URL.Path, "/conversation/"):
		h.page(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (h *HelpScout) token(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r.FormValue("grant_type") != "client_credentials" || r.FormValue("client_id") != h.clientID || r.FormValue("client_secret") != h.clientSecret {
		writeJSON(w, http.StatusUnauthorized, `{"error":"invalid_client","error_description":"Invalid client credentials"}`)
		return
	}
	tok := fmt.Sprintf("hs-token-%d", len(h.tokens)+1)
	h.tokens[tok] = true
	writeJSON(w, http.StatusOK, `{"token_type":"bearer","access_token":"`+tok+`","expires_in":172800}`)
}

func (h *HelpScout) customer(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")] {
		writeJSON(w, http.StatusUnauthorized, `{"error":"invalid_token"}`)
		return
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/v2/customers/"), 10, 64)
	p, ok := h.customers[id]
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"logRef":"fake","message":"Resource not found","_embedded":{"errors":[]}}`)
		return
	}
	first, last, _ := strings.Cut(p.Name, " ")
	var emails []any
	for i, e := range p.Emails {
		emails = append(emails, map[string]any{"id": i + 1, "value": e, "type": "work"})
	}
	b, _ := json.Marshal(map[string]any{"id": p.ID, "firstName": first, "lastName": last,
		"_embedded": map[string]any{"emails": emails, "phones": []any{}}})
	w.Header().Set("Content-Type", "application/hal+json")
	w.Write(b)
}

// page serves /conversation/{customer}?app=URL: Help Scout's conversation
// view with the app's frame at its signed URL. ?tamper=1 changes the
// customer after signing, as someone editing the URL would.
func (h *HelpScout) page(w http.ResponseWriter, r *http.Request) {
	customer, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/conversation/"), 10, 64)
	src := h.SignedAppURL(r.URL.Query().Get("app"), 3382942562, customer)
	if r.URL.Query().Get("tamper") == "1" {
		src = strings.Replace(src, "customer-id="+strconv.FormatInt(customer, 10), "customer-id="+strconv.FormatInt(customer+1, 10), 1)
	}
	h.mu.Lock()
	var links []link
	for _, p := range h.customers {
		links = append(links, link{"/conversation/" + strconv.FormatInt(p.ID, 10) + "?app=" + url.QueryEscape(r.URL.Query().Get("app")), p.Name})
	}
	h.mu.Unlock()
	hostPage.Execute(w, hostData{
		Title: "Help Scout (fake)", Heading: fmt.Sprintf("Conversation with customer %d", customer), Links: links,
		Frame: template.HTML(`<iframe id="app" title="shopcard" src="` + template.HTMLEscapeString(src) + `"></iframe>`),
	})
}
