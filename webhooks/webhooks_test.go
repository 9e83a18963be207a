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
// Shopify, which then delivers to the public URL.
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
	store, _, _ := db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: fakeshopify.AcmeDomain, AccessToken: domain.NewSecret(fakeshopify.AcmeToken)})

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

	t.Run("topics Shopify refuses are recorded with its reason", func(t *testing.T) {
		limited := store
		limited.AccessToken = domain.NewSecret(fakeshopify.AcmeTokenCustomersOnly)
		limited.ID = store.ID
		_, err := webhooks.Subscribe(ctx, client, db, limited, "https://shopcard.example.com")
		if err == nil || !strings.Contains(domain.MessageOf(err), "orders/create") {
			t.Fatalf("err %v", err)
		}
		saved, _ := db.WebhookSubscriptions(ctx, store.ID)
		for _, s := range saved {
			failed := strings.HasPrefix(s.Topic, "orders/") || strings.HasPrefix(s.Topic, "fulfillments/") || strings.HasPrefix(s.Topic, "refunds/")
			if failed != (s.Status == domain.WebhookFailed) || (failed && !strings.Contains(s.LastError, "read_orders")) {
				t.Errorf("%s: %s %q", s.Topic, s.Status, s.LastError)
			}
		}
	})
}
