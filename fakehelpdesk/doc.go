// Package fakehelpdesk plays the helpdesk side of shopcard's apps, faithful
// to each helpdesk's documentation and source, for tests and the demo. For
// each of Chatwoot, Help Scout, Front and Zendesk it serves, on its own
// origin (as the real helpdesk does), the API the adapter asks and a host
// page that frames shopcard's app URL and speaks the helpdesk's protocol:
//
//   - Chatwoot: GET /api/v1/accounts/{account}/contacts[/{id}] with the
//     api_access_token header (401 {"error":"Invalid Access Token"}, 404
//     {"error":"Resource could not be found"} for a contact outside the
//     account), and a conversation page at /app/accounts/{account}/
//     conversations/{n} whose frame gets {"event":"appContext","data":{…}}
//     as a JSON string on load, on 'chatwoot-dashboard-app:fetch-info',
//     and when the conversation or the theme changes.
//   - Help Scout: POST /v2/oauth2/token (client credentials) and GET
//     /v2/customers/{id}, and a conversation page whose frame is the app
//     URL with the context and X-HelpScout-Signature in its query.
//   - Front: GET /conversations/{id} and /me with a bearer token, and a
//     page that appends auth_secret to the plugin URL, answers the SDK's
//     handshake with a MessagePort and sends context_update messages over
//     it.
//   - Zendesk: the tickets, users, identities and apps public key
//     endpoints with API token authentication, and a ticket page that
//     POSTs the app's first page with an RS256 token (iss, aud, sub, exp)
//     and answers the ZAF client's handshake, get and event subscription.
//
// Each fake's Go API adds data; a host page's query can make it misbehave
// (a wrong signature, a tampered query, answers held back) for the browser tests.
package fakehelpdesk

import (
	"html/template"
	"net/http"
)

// Person is a contact in a fake helpdesk.
type Person struct {
	ID     int64
	Name   string
	Emails []string
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(body))
}

// hostPage is the frame every fake's page puts shopcard's app in, with the
// page's own script; the fakes play a helpdesk's origin, so they set no CSP
// of their own beyond what the helpdesk would.
var hostPage = template.Must(template.New("host").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title><link rel="icon" href="data:,">
<style>body{font-family:system-ui,sans-serif;margin:0;display:flex;height:100vh}nav{width:260px;padding:12px;border-right:1px solid #ccc;overflow:auto}nav a,nav button{display:block;margin:6px 0}main{flex:1;padding:12px}iframe{width:380px;height:92vh;border:1px solid #ccc}</style>
</head><body>
<nav><h1 style="font-size:16px">{{.Title}}</h1>
{{range .Links}}<a href="{{.URL}}" data-testid="host-link">{{.Label}}</a>{{end}}
{{range .Buttons}}<button type="button" id="{{.ID}}" data-testid="{{.ID}}">{{.Label}}</button>{{end}}
</nav>
<main><p data-testid="host-heading">{{.Heading}}</p>{{.Frame}}</main>
<script>{{.Script}}</script>
</body></html>`))

type link struct{ URL, Label string }
type button struct{ ID, Label string }

type hostData struct {
	Title, Heading string
	Links          []link
	Buttons        []button
	Frame          template.HTML
	Script         template.JS
}
