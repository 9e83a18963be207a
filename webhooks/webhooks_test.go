package webhooks_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"shopcard/atrest"
	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/shopify"
	"shopcard/sqlite"
	"shopcard/webhooks"
)

func TestVerify(t *testing.T) {
	body := []byte(`{"id":1}`)
	key := domain.NewSecret("k")
	mac := hmac.New(sha256.New, []byte("k"))
	mac.Write(body)
	good := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if good != webhooks.Sign(body, key) {
		t.Fatal("Sign disagrees with HMAC-SHA256")
	}
	tests := []struct {
		name string
		sig  string
		keys []domain.Secret
		want bool
	}{
		{"right key", good, []domain.Secret{key}, true},
		{"right key among others", good, []domain.Secret{domain.NewSecret("x"), key}, true},
		{"wrong key", good, []domain.Secret{domain.NewSecret("x")}, false},
		{"no keys", good, nil, false},
		{"an empty key never verifies", webhooks.Sign(body, domain.Secret{}), []domain.Secret{{}}, false},
		{"hex instead of base64", strings.Repeat("ab", 32), []domain.Secret{key}, false},
		{"truncated", good[:20], []domain.Secret{key}, false},
		{"empty", "", []domain.Secret{key}, false},
	}
	for _, tt := range tests {
		if got := webhooks.Verify(body, tt.sig, tt.keys); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestSubscribe subscribes a store through the real client to the fake
// Shopify, which then delivers to the public URL: only to the topics the
// store's scopes allow, saying why the others are not subscribed.
func TestSubscribe(t *testing.T) {
	ctx := context.Background()
	fake := fakeshopify.NewSeeded(nil)
	shop := httptest.NewServer(fake)
	defer shop.Close()
	client, err := shopify.NewClient(shopify.Options{URLTemplate: shop.URL + fakeshopify.ShopURLTemplate})
	if err != nil {
		t.Fatal(err)
	}
	box, _ := atrest.New(bytes.Repeat([]byte{1}, atrest.KeySize))
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"), box)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ws, _ := db.CreateWorkspace(ctx, "w")
	const everything = "shpat_fake_acme_with_fulfillments"
	if err := fake.AddToken(fakeshopify.AcmeDomain, everything, []string{"read_customers", "read_orders", "read_all_orders", "read_fulfillments"}); err != nil {
		t.Fatal(err)
	}
	connect := func(t *testing.T, token string) domain.Store {
		t.Helper()
		info, err := client.CheckAccess(ctx, fakeshopify.AcmeDomain, domain.NewSecret(token))
		if err != nil {
			t.Fatal(err)
		}
		s, _, err := db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: fakeshopify.AcmeDomain, AccessToken: domain.NewSecret(token), Scopes: info.Scopes})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	var mu sync.Mutex
	var topics []string
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == webhooks.Path {
			mu.Lock()
			topics = append(topics, r.Header.Get("X-Shopify-Topic"))
			mu.Unlock()
		}
	}))
	defer public.Close()

	store := connect(t, everything)
	if _, err := webhooks.Subscribe(ctx, client, db, store, ""); domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("without a public URL: %v", err)
	}
	subs, err := webhooks.Subscribe(ctx, client, db, store, public.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	saved, _ := db.WebhookSubscriptions(ctx, store.ID)
	if len(subs) != len(webhooks.SubscribedTopics) || len(saved) != len(subs) {
		t.Fatalf("%d subscriptions, %d saved, want %d", len(subs), len(saved), len(webhooks.SubscribedTopics))
	}
	for _, s := range saved {
		if s.Status != domain.WebhookActive || !strings.HasPrefix(s.ShopifyID, "gid://shopify/WebhookSubscription/") || s.URI != public.URL+webhooks.Path {
			t.Errorf("%+v", s)
		}
	}
	// Again: Shopify says they exist, and they stay active.
	if _, err := webhooks.Subscribe(ctx, client, db, store, public.URL); err != nil {
		t.Errorf("subscribing again: %v", err)
	}
	maya, _ := fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	fake.UpdateCustomer(fakeshopify.AcmeDomain, maya.ID, func(c *fakeshopify.Customer) { c.Tags = append(c.Tags, "webhooked") })
	fake.FlushWebhooks()
	if strings.Join(topics, ",") != "customers/update" {
		t.Errorf("delivered %v", topics)
	}

	tests := []struct {
		name    string
		token   string
		scopes  []string // recorded on the store; nil: what Shopify says the token holds
		skipped string   // the scope the skipped topics need
		failed  string   // the scope Shopify's refusals name
	}{
		{"without read_fulfillments, fulfillment topics are not asked for", fakeshopify.AcmeToken, nil, "read_fulfillments", ""},
		{"without read_orders, order topics are not asked for either", fakeshopify.AcmeTokenCustomersOnly, nil, "", ""},
		{"scopes Shopify no longer grants are refused, naming the scope", fakeshopify.AcmeTokenCustomersOnly, []string{"read_customers", "read_orders", "read_fulfillments"}, "", "read_orders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := connect(t, tt.token)
			if tt.scopes != nil {
				s.Scopes = tt.scopes
			}
			_, err := webhooks.Subscribe(ctx, client, db, s, "https://shopcard.example.com")
			if (tt.failed != "") != (err != nil) {
				t.Fatalf("err %v", err)
			}
			saved, _ := db.WebhookSubscriptions(ctx, s.ID)
			for _, sub := range saved {
				need := webhooks.TopicScope(sub.Topic)
				switch {
				case need != "" && !shopify.HasScope(s.Scopes, need):
					if sub.Status != domain.WebhookSkipped || !strings.Contains(sub.LastError, need) {
						t.Errorf("%s: %s %q, want skipped for %s", sub.Topic, sub.Status, sub.LastError, need)
					}
				case tt.failed != "" && need == "read_orders" || need == "read_fulfillments" && tt.failed != "":
					if sub.Status != domain.WebhookFailed || !strings.Contains(sub.LastError, "it needs the "+need+" scope") {
						t.Errorf("%s: %s %q, want refused naming %s", sub.Topic, sub.Status, sub.LastError, need)
					}
				default:
					if sub.Status != domain.WebhookActive {
						t.Errorf("%s: %s %q, want active", sub.Topic, sub.Status, sub.LastError)
					}
				}
			}
			if tt.skipped != "" && !slices.ContainsFunc(saved, func(s domain.WebhookSubscription) bool {
				return s.Status == domain.WebhookSkipped && strings.Contains(s.LastError, tt.skipped)
			}) {
				t.Errorf("nothing skipped for want of %s", tt.skipped)
			}
		})
	}
}
