package fakeshopify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"maps"
	"mime"
	"net/http"
	neturl "net/url"
	"slices"
	"strconv"
	"strings"

	"shopcard/domain"
)

// signCallback signs a callback as Shopify does: the hex HMAC-SHA256, keyed
// with the app's client secret, of the parameters sorted by name and
// joined as name=value&name=value.
func signCallback(q neturl.Values, secret string) string {
	names := slices.Sorted(maps.Keys(q))
	pairs := make([]string, len(names))
	for i, n := range names {
		pairs[i] = n + "=" + q.Get(n)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strings.Join(pairs, "&")))
	return hex.EncodeToString(mac.Sum(nil))
}

// authorizeRequest is what an app sends the merchant to approve.
type authorizeRequest struct {
	app         App
	shop        Store
	scopes      []string
	redirectURI *neturl.URL
	state       string
}

// parseAuthorize checks an authorize request the way Shopify does before
// it shows the grant screen.
func (s *Server) parseAuthorize(shop string, q neturl.Values) (authorizeRequest, int, string) {
	s.mu.RLock()
	st, err := s.storeLocked(shop)
	var info Store
	if err == nil {
		info = st.info
	}
	s.mu.RUnlock()
	if err != nil {
		return authorizeRequest{}, http.StatusNotFound, "There is no store at " + shop + "."
	}
	app, ok := s.appByID(q.Get("client_id"))
	if !ok {
		return authorizeRequest{}, http.StatusBadRequest, "Oauth error invalid_request: The client_id is missing or invalid."
	}
	scopes, err := parseScopes(q.Get("scope"))
	if err != nil {
		return authorizeRequest{}, http.StatusBadRequest, "Oauth error invalid_scope: " + err.Error() + "."
	}
	redirect, err := neturl.Parse(q.Get("redirect_uri"))
	if err != nil || (redirect.Scheme != "https" && redirect.Scheme != "http") || redirect.Host == "" ||
		(len(app.RedirectURIs) > 0 && !slices.Contains(app.RedirectURIs, q.Get("redirect_uri"))) {
		return authorizeRequest{}, http.StatusBadRequest, "Oauth error invalid_request: The redirect_uri is missing or is not whitelisted."
	}
	return authorizeRequest{app: app, shop: info, scopes: scopes, redirectURI: redirect, state: q.Get("state")}, 0, ""
}

// serveAuthorize answers /shops/{shop}/admin/oauth/authorize: GET shows the
// grant screen, whose Install button POSTs back here; the POST approves
// and redirects to the app's redirect_uri with a signed callback.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	shop := strings.ToLower(r.PathValue("shop"))
	var q neturl.Values
	switch r.Method {
	case http.MethodGet:
		q = r.URL.Query()
	case http.MethodPost:
		if err := r.ParseForm(); err != nil {
			writeOAuthPage(w, http.StatusBadRequest, oauthPage{Error: "The form could not be read."})
			return
		}
		q = r.PostForm
	default:
		w.Header().Set("Allow", "GET, POST")
		writeOAuthPage(w, http.StatusMethodNotAllowed, oauthPage{Error: "Method Not Allowed"})
		return
	}
	req, status, problem := s.parseAuthorize(shop, q)
	if status != 0 {
		writeOAuthPage(w, status, oauthPage{Error: problem})
		return
	}
	if r.Method == http.MethodGet {
		writeOAuthPage(w, http.StatusOK, oauthPage{
			Shop: req.shop.Name, Domain: req.shop.Domain, App: req.app.Name, Scopes: req.scopes, Action: r.URL.Path,
			Fields: map[string]string{"client_id": req.app.ClientID, "scope": strings.Join(req.scopes, ","), "redirect_uri": req.redirectURI.String(), "state": req.state},
		})
		return
	}
	s.mu.Lock()
	code := s.issueCodeLocked(req.app.ClientID, req.shop.Domain, req.scopes)
	s.mu.Unlock()
	callback := neturl.Values{
		"code":      {code},
		"host":      {base64.RawStdEncoding.EncodeToString([]byte("admin.shopify.com/store/" + domain.ShopHandle(req.shop.Domain)))},
		"shop":      {req.shop.Domain},
		"state":     {req.state},
		"timestamp": {strconv.FormatInt(s.clock().Unix(), 10)},
	}
	callback.Set("hmac", signCallback(callback, req.app.ClientSecret))
	target := *req.redirectURI
	target.RawQuery = callback.Encode()
	http.Redirect(w, r, target.String(), http.StatusFound)
}

// serveAccessToken answers POST /shops/{shop}/admin/oauth/access_token:
// the code exchange (expiring=1 for an expiring offline token), the
// refresh_token grant and the client_credentials grant. Parameters come
// as JSON or as a form.
func (s *Server) serveAccessToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, shopifyErrorBody("Method Not Allowed"))
		return
	}
	shop := strings.ToLower(r.PathValue("shop"))
	if !s.hasStore(shop) {
		writeJSON(w, http.StatusNotFound, shopifyErrorBody("Not Found"))
		return
	}
	p, err := tokenParams(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "The request body could not be read."})
		return
	}
	app, ok := s.appByCredentials(p["client_id"], p["client_secret"])
	if !ok {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "Client authentication failed."})
		return
	}
	var g grant
	switch p["grant_type"] {
	case "refresh_token":
		g, err = s.refreshTokens(shop, app, p["refresh_token"])
	case "client_credentials":
		g, err = s.clientCredentialsGrant(shop, app)
	case "", "authorization_code":
		g, err = s.exchangeCode(shop, app, p["code"], p["expiring"] == "1")
	default:
		err = &errGrant{400, "unsupported_grant_type", "The grant type is not supported."}
	}
	var eg *errGrant
	switch {
	case errors.As(err, &eg):
		writeJSON(w, eg.status, map[string]string{"error": eg.code, "error_description": eg.description})
	case err != nil:
		writeJSON(w, http.StatusNotFound, shopifyErrorBody("Not Found"))
	default:
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, g)
	}
}

// tokenParams reads the token endpoint's parameters as strings, whether
// sent as JSON (numbers allowed) or as a form.
func tokenParams(r *http.Request) (map[string]string, error) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		out := map[string]string{}
		for k := range r.PostForm {
			out[k] = r.PostForm.Get(k)
		}
		return out, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			out[k] = v
		case float64:
			out[k] = strconv.FormatFloat(v, 'f', -1, 64)
		case bool:
			out[k] = strconv.FormatBool(v)
		}
	}
	return out, nil
}

// oauthPage is the grant screen, or an OAuth error.
type oauthPage struct {
	Error  string
	Shop   string
	Domain string
	App    string
	Scopes []string
	Action string
	Fields map[string]string
}

var oauthTemplate = template.Must(template.New("authorize").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>{{if .Error}}OAuth error{{else}}Install {{.App}}{{end}} · fake Shopify</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; line-height: 1.5">
{{if .Error}}
<h1>OAuth error</h1>
<p data-testid="fake-oauth-error">{{.Error}}</p>
{{else}}
<p>Fake Shopify · {{.Domain}}</p>
<h1>Install {{.App}} on {{.Shop}}?</h1>
<p>The app is asking for these permissions:</p>
<ul data-testid="fake-oauth-scopes">{{range .Scopes}}<li>{{.}}</li>{{end}}</ul>
<form method="post" action="{{.Action}}">
{{range $name, $value := .Fields}}<input type="hidden" name="{{$name}}" value="{{$value}}">
{{end}}<button type="submit" data-testid="fake-oauth-approve">Install app</button>
</form>
{{end}}
</body></html>
`))

func writeOAuthPage(w http.ResponseWriter, status int, p oauthPage) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = oauthTemplate.Execute(w, p)
}
