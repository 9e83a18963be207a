package fakeshopify

import (
	"net/http"
	"testing"
)

func TestHTTPShape(t *testing.T) {
	_, ts, _ := startSeeded(t)
	const query = `{ shop { name } }`
	okBody := []byte(`{"query":"{ shop { name } }"}`)

	tests := []struct {
		name        string
		method      string
		path        string
		token       string
		contentType string
		body        []byte
		wantStatus  int
		wantBody    string // exact, when set
		wantVersion string // X-Shopify-API-Version, when set
	}{
		{"served", "POST", GraphQLPath(AcmeDomain, "2026-07"), AcmeToken, "application/json", okBody, 200, "", "2026-07"},
		{"shop domain is case-insensitive", "POST", GraphQLPath("ACME-Outfitters.myshopify.com", "2026-07"), AcmeToken, "application/json", okBody, 200, "", "2026-07"},
		{"newest version", "POST", GraphQLPath(AcmeDomain, "2026-10"), AcmeToken, "application/json", okBody, 200, "", "2026-10"},
		{"old version falls forward", "POST", GraphQLPath(AcmeDomain, "2024-01"), AcmeToken, "application/json", okBody, 200, "", "2026-01"},
		{"unknown version falls forward", "POST", GraphQLPath(AcmeDomain, "unstable"), AcmeToken, "application/json", okBody, 200, "", "2026-01"},
		{"bare query as application/graphql", "POST", GraphQLPath(AcmeDomain, "2026-07"), AcmeToken, "application/graphql", []byte(query), 200, "", ""},
		{"unknown shop", "POST", GraphQLPath("nope.myshopify.com", "2026-07"), AcmeToken, "application/json", okBody, 404, `{"errors":"Not Found"}`, ""},
		{"unknown path", "POST", "/admin/api/2026-07/graphql.json", AcmeToken, "application/json", okBody, 404, `{"errors":"Not Found"}`, ""},
		{"GET is not allowed", "GET", GraphQLPath(AcmeDomain, "2026-07"), AcmeToken, "", nil, 405, "", ""},
		{"missing token", "POST", GraphQLPath(AcmeDomain, "2026-07"), "", "application/json", okBody, 401,
			`{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`, ""},
		{"wrong token", "POST", GraphQLPath(AcmeDomain, "2026-07"), "shpat_wrong", "application/json", okBody, 401,
			`{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`, ""},
		{"another store's token", "POST", GraphQLPath(AcmeDomain, "2026-07"), NordicToken, "application/json", okBody, 401,
			`{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`, ""},
		{"body is not JSON", "POST", GraphQLPath(AcmeDomain, "2026-07"), AcmeToken, "application/json", []byte(`{`), 400,
			`{"errors":{"query":"Required parameter missing or invalid"}}`, ""},
		{"no query", "POST", GraphQLPath(AcmeDomain, "2026-07"), AcmeToken, "application/json", []byte(`{"variables":{}}`), 400,
			`{"errors":{"query":"Required parameter missing or invalid"}}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, tt.method, ts.URL+tt.path, tt.token, tt.contentType, tt.body)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s", r.status, tt.wantStatus, r.body)
			}
			if got := r.header.Get("Content-Type"); got != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", got)
			}
			if tt.wantBody != "" && string(r.body) != tt.wantBody+"\n" {
				t.Errorf("body %s, want %s", r.body, tt.wantBody)
			}
			if tt.wantVersion != "" && r.header.Get("X-Shopify-API-Version") != tt.wantVersion {
				t.Errorf("X-Shopify-API-Version %q, want %q", r.header.Get("X-Shopify-API-Version"), tt.wantVersion)
			}
			if tt.wantStatus == http.StatusOK && dig(r.json, "data", "shop", "name") != "Acme Outfitters" {
				t.Errorf("no shop name in %s", r.body)
			}
		})
	}
}

func TestRevokedTokenGets401(t *testing.T) {
	s, ts, _ := startSeeded(t)
	url := GraphQLURL(ts.URL, AcmeDomain)
	statuses := func() int { return post(t, url, AcmeToken, `{ shop { name } }`, nil).status }

	if got := statuses(); got != 200 {
		t.Fatalf("before revoking: %d", got)
	}
	if err := s.RevokeToken(AcmeDomain, AcmeToken); err != nil {
		t.Fatal(err)
	}
	r := post(t, url, AcmeToken, `{ shop { name } }`, nil)
	if r.status != 401 || r.json["errors"] != invalidTokenMessage {
		t.Fatalf("revoked: %d %s", r.status, r.body)
	}
	if got := post(t, url, AcmeTokenCustomersOnly, `{ shop { name } }`, nil).status; got != 200 {
		t.Errorf("the store's other token should still work, got %d", got)
	}
	if err := s.ReinstateToken(AcmeDomain, AcmeToken); err != nil {
		t.Fatal(err)
	}
	if got := statuses(); got != 200 {
		t.Errorf("reinstated: %d", got)
	}
	if err := s.RevokeToken(AcmeDomain, "shpat_unknown"); err == nil {
		t.Error("revoking an unknown token should fail")
	}
}
