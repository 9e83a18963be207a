package fakeshopify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	neturl "net/url"
	"strings"
	"testing"

	"shopcard/shopify"
)

// tokenRequest posts a form to a store's token endpoint and decodes the
// JSON answer.
func tokenRequest(t *testing.T, ts string, shop string, form neturl.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(ts+"/shops/"+shop+"/admin/oauth/access_token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("answer %d is not JSON: %s", resp.StatusCode, raw)
	}
	return resp.StatusCode, body
}

func TestClientCredentialsGrant(t *testing.T) {
	s, ts, clock := startSeeded(t)
	if err := s.AddApp(App{ClientID: "elsewhere-app", ClientSecret: "elsewhere-secret", Organization: "another-organization", Scopes: readAll}); err != nil {
		t.Fatal(err)
	}
	if err := s.InstallApp(SakuraDomain, "elsewhere-app"); err != nil {
		t.Fatal(err)
	}
	creds := func(id, secret string) neturl.Values {
		return neturl.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	}
	tests := []struct {
		name       string
		shop       string
		form       neturl.Values
		status     int
		error      string
		wantGrants int // client credentials grants Sakura counts afterwards
	}{
		{"a wrong secret", SakuraDomain, creds(DevAppClientID, "wrong"), 401, "invalid_client", 0},
		{"an unknown client", SakuraDomain, creds("nobody", DevAppClientSecret), 401, "invalid_client", 0},
		{"a store the app is not installed on", NordicDomain, creds(DevAppClientID, DevAppClientSecret), 400, "app_not_installed", 0},
		{"an app of another organization", SakuraDomain, creds("elsewhere-app", "elsewhere-secret"), 400, "shop_not_permitted", 0},
		{"granted", SakuraDomain, creds(DevAppClientID, DevAppClientSecret), 200, "", 1},
	}
	var token string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := tokenRequest(t, ts.URL, tt.shop, tt.form)
			if status != tt.status || (tt.error != "" && body["error"] != tt.error) {
				t.Fatalf("%d %v, want %d %s", status, body, tt.status, tt.error)
			}
			if tt.error != "" && body["error_description"] == "" {
				t.Error("a refusal without its description")
			}
			if g, _ := s.Grants(SakuraDomain); g.ClientCredentials != tt.wantGrants {
				t.Errorf("%d grants counted, want %d", g.ClientCredentials, tt.wantGrants)
			}
			if tt.error == "" {
				token, _ = body["access_token"].(string)
				if body["expires_in"] != float64(86399) || body["scope"] != strings.Join(devAppScopes, ",") || body["refresh_token"] != nil || token == "" {
					t.Errorf("grant %v", body)
				}
			}
		})
	}

	// The token opens the store with the installation's scopes, until it
	// expires.
	ask := func() int {
		return post(t, GraphQLURL(ts.URL, SakuraDomain), token, `{ currentAppInstallation { accessScopes { handle } } }`, nil).status
	}
	if got := ask(); got != 200 {
		t.Fatalf("the granted token: %d", got)
	}
	clock.Advance(ClientCredentialsTokenTTL)
	if got := ask(); got != 401 {
		t.Errorf("after its lifetime the token answers %d, want 401", got)
	}

	// A shorter lifetime, set through the test API, applies to the next
	// grant; the grant count is there too.
	req, _ := http.NewRequest(http.MethodPatch, ts.URL+"/_fake/apps/"+DevAppClientID, strings.NewReader(`{"tokenTTL":"2m"}`))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("set the lifetime: %v %v", resp, err)
	}
	if _, body := tokenRequest(t, ts.URL, SakuraDomain, creds(DevAppClientID, DevAppClientSecret)); body["expires_in"] != float64(120) {
		t.Errorf("after setting 2m, expires_in %v", body["expires_in"])
	}
	resp, err := http.Get(ts.URL + "/_fake/stores/" + SakuraDomain + "/grants")
	if err != nil {
		t.Fatal(err)
	}
	var counts GrantCounts
	json.NewDecoder(resp.Body).Decode(&counts)
	resp.Body.Close()
	if counts.ClientCredentials != 2 {
		t.Errorf("the test API counts %+v", counts)
	}

	// Uninstalling the app ends its installation.
	if err := s.UninstallApp(SakuraDomain); err != nil {
		t.Fatal(err)
	}
	if status, body := tokenRequest(t, ts.URL, SakuraDomain, creds(DevAppClientID, DevAppClientSecret)); status != 400 || body["error"] != "app_not_installed" {
		t.Errorf("after uninstalling: %d %v", status, body)
	}
}

// TestWebhookSubscriptionScopes: as in the real schema, each topic needs
// one of its scopes; fulfillments/* need read_fulfillments (or
// read_marketplace_orders), which read_orders does not stand in for. A
// refusal is ACCESS_DENIED on the field, naming the scope.
func TestWebhookSubscriptionScopes(t *testing.T) {
	s, ts, _ := startSeeded(t)
	rec := newReceiver(t)
	uri := rec.srv.URL + "/webhooks/shopify"
	const fulfillmentsToken, marketplaceToken = "shpat_fake_acme_fulfillments", "shpat_fake_acme_marketplace"
	for token, scopes := range map[string][]string{
		fulfillmentsToken: {"read_customers", "read_orders", "read_fulfillments"},
		marketplaceToken:  {"read_marketplace_orders"},
	} {
		if err := s.AddToken(AcmeDomain, token, scopes); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, token, topic string
		denied             string // the scope the refusal names; "" when subscribed
	}{
		{"orders without read_orders", AcmeTokenCustomersOnly, "orders/create", "read_orders"},
		{"customers without read_customers", AcmeTokenOrdersOnly, "customers/update", "read_customers"},
		{"fulfillments with read_orders only", AcmeToken, "fulfillments/create", "read_fulfillments"},
		{"fulfillments with read_fulfillments", fulfillmentsToken, "fulfillments/update", ""},
		{"fulfillments with read_marketplace_orders", marketplaceToken, "fulfillments/create", ""},
		{"app topics need no scope", AcmeTokenCustomersOnly, "app/uninstalled", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := shopify.WebhookSubscriptionCreate(context.Background(), client(ts, AcmeDomain, tt.token), shopify.TopicEnum(tt.topic), uri)
			if tt.denied == "" {
				if err != nil || resp.WebhookSubscriptionCreate == nil || resp.WebhookSubscriptionCreate.WebhookSubscription == nil {
					t.Fatalf("not subscribed: %v %+v", err, resp)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "`"+tt.denied+"` access scope") {
				t.Fatalf("err %v, want ACCESS_DENIED naming %s", err, tt.denied)
			}
			raw := post(t, GraphQLURL(ts.URL, AcmeDomain), tt.token, `mutation($topic: WebhookSubscriptionTopic!, $uri: String!) {
				webhookSubscriptionCreate(topic: $topic, webhookSubscription: {uri: $uri, format: JSON}) { userErrors { message } } }`,
				map[string]any{"topic": string(shopify.TopicEnum(tt.topic)), "uri": uri})
			errs, _ := raw.json["errors"].([]any)
			first, _ := errs[0].(map[string]any)
			ext, _ := first["extensions"].(map[string]any)
			data, _ := raw.json["data"].(map[string]any)
			if raw.status != 200 || ext["code"] != "ACCESS_DENIED" || !strings.Contains(ext["requiredAccess"].(string), "`"+tt.denied+"`") ||
				data["webhookSubscriptionCreate"] != nil {
				t.Errorf("answer %d %s", raw.status, raw.body)
			}
		})
	}
}

// TestAppSubscriptionsAreSignedWithTheAppSecret: deliveries to a
// subscription an app made with its own token are signed with the app's
// client secret; those to the webhook URL with the store's notification
// secret.
func TestAppSubscriptionsAreSignedWithTheAppSecret(t *testing.T) {
	s, ts, _ := startSeeded(t)
	appHook, settingsHook := newReceiver(t), newReceiver(t)
	_, body := tokenRequest(t, ts.URL, SakuraDomain, neturl.Values{"grant_type": {"client_credentials"}, "client_id": {DevAppClientID}, "client_secret": {DevAppClientSecret}})
	token := body["access_token"].(string)
	if _, err := shopify.WebhookSubscriptionCreate(context.Background(), client(ts, SakuraDomain, token), shopify.TopicEnum("customers/update"), appHook.srv.URL); err != nil {
		t.Fatal(err)
	}
	s.SetWebhookURL(settingsHook.srv.URL)
	hanako, _ := s.CustomerByEmail(SakuraDomain, EmailJapanese)
	if _, err := s.UpdateCustomer(SakuraDomain, hanako.ID, func(c *Customer) { c.Tags = append(c.Tags, "vip") }); err != nil {
		t.Fatal(err)
	}
	s.FlushWebhooks()
	storeSecret, _ := s.WebhookSecret(SakuraDomain)
	for _, c := range []struct {
		name   string
		got    received
		secret string
	}{
		{"the app's subscription", appHook.find(t, "customers/update"), DevAppClientSecret},
		{"the webhook URL", settingsHook.find(t, "customers/update"), storeSecret},
	} {
		mac := hmac.New(sha256.New, []byte(c.secret))
		mac.Write(c.got.body)
		if c.got.header.Get("X-Shopify-Hmac-Sha256") != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
			t.Errorf("%s: not signed with its key", c.name)
		}
	}
}

// TestForcedStatusMessage: a forced status can carry another message,
// such as 403 "Unavailable Shop".
func TestForcedStatusMessage(t *testing.T) {
	s, ts, _ := startSeeded(t)
	if err := s.SetFaults(AcmeDomain, Faults{Status: 403, StatusMessage: "Unavailable Shop"}); err != nil {
		t.Fatal(err)
	}
	r := post(t, GraphQLURL(ts.URL, AcmeDomain), AcmeToken, `{ shop { name } }`, nil)
	if r.status != 403 || r.json["errors"] != "Unavailable Shop" {
		t.Errorf("%d %s", r.status, r.body)
	}
}
