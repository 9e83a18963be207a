package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"shopcard/domain"
	"shopcard/fakeshopify"
)

// TestWebhookHeadersCannotChangeWhatWasSigned: a genuine customers/update
// delivery, whose signature covers only its body, resent under the topics
// that change a connection must change nothing: the body is not theirs.
func TestWebhookHeadersCannotChangeWhatWasSigned(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	withWebhooks(t, env)
	acme := env.Stores[fakeshopify.AcmeDomain]
	maya, _ := env.Fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)
	env.Fake.UpdateCustomer(fakeshopify.AcmeDomain, maya.ID, func(c *fakeshopify.Customer) { c.FirstName = "Maia" })
	env.Fake.FlushWebhooks()
	genuine := env.Fake.WebhookDeliveries(fakeshopify.AcmeDomain)[0]
	sig := genuine.Header.Get("X-Shopify-Hmac-Sha256")

	for i, topic := range []string{"app/uninstalled", "shop/redact", "app/scopes_update", "customers/redact", "orders/updated"} {
		t.Run(topic, func(t *testing.T) {
			if got := env.postWebhook(t, topic, fakeshopify.AcmeDomain, "resent-"+itoa(int64(i)), sig, genuine.Body); got != http.StatusOK {
				t.Fatalf("status %d", got)
			}
			s, ok := env.Store(t, fakeshopify.AcmeDomain)
			if !ok {
				t.Fatal("the store was deleted")
			}
			if s.Status != domain.StoreHealthy || s.AccessToken.IsZero() || strings.Join(s.Scopes, ",") != strings.Join(acme.Scopes, ",") {
				t.Errorf("the store changed: status %q, token kept %v, scopes %v", s.Status, !s.AccessToken.IsZero(), s.Scopes)
			}
		})
	}
	wantMetric(t, env, `shopcard_webhook_deliveries_total{outcome="invalid",topic="app/uninstalled"} 1`,
		`shopcard_webhook_deliveries_total{outcome="invalid",topic="shop/redact"} 1`)
}

// TestWebhookReplaysUnderANewID: the signature does not cover
// X-Shopify-Webhook-Id either, so a body handled before is a duplicate
// under any ID: an app/uninstalled replayed after the store was connected
// again does not disconnect it. A customer redaction is acted on each time.
func TestWebhookReplaysUnderANewID(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	withWebhooks(t, env)
	maya, _ := env.Fake.CustomerByEmail(fakeshopify.AcmeDomain, fakeshopify.EmailShowcase)

	t.Run("an eviction", func(t *testing.T) {
		env.Fake.UpdateCustomer(fakeshopify.AcmeDomain, maya.ID, func(c *fakeshopify.Customer) { c.FirstName = "Maia" })
		env.Fake.FlushWebhooks()
		d := lastDelivery(t, env, "customers/update")
		customerName(t, env) // cached again
		before := env.Fake.Requests(fakeshopify.AcmeDomain)
		if got := env.postWebhook(t, d.Topic, fakeshopify.AcmeDomain, "a-new-id", d.Header.Get("X-Shopify-Hmac-Sha256"), d.Body); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
		customerName(t, env)
		if env.Fake.Requests(fakeshopify.AcmeDomain) != before {
			t.Error("a replayed body evicted the cache")
		}
	})

	t.Run("an uninstall after reconnecting", func(t *testing.T) {
		if err := env.Fake.UninstallApp(fakeshopify.AcmeDomain); err != nil {
			t.Fatal(err)
		}
		env.Fake.FlushWebhooks()
		d := lastDelivery(t, env, "app/uninstalled")
		if s, _ := env.Store(t, fakeshopify.AcmeDomain); s.Status != domain.StoreDisconnected {
			t.Fatalf("the genuine uninstall left the store %q", s.Status)
		}
		// The merchant installs the app again; the store is reconnected.
		s, _ := env.Store(t, fakeshopify.AcmeDomain)
		s.AccessToken = domain.NewSecret("shpat_reconnected")
		if _, _, err := env.App.DB.SaveStore(t.Context(), s); err != nil {
			t.Fatal(err)
		}
		if got := env.postWebhook(t, d.Topic, fakeshopify.AcmeDomain, "replayed-uninstall", d.Header.Get("X-Shopify-Hmac-Sha256"), d.Body); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
		if s, _ := env.Store(t, fakeshopify.AcmeDomain); s.Status != domain.StoreHealthy || s.AccessToken.Reveal() != "shpat_reconnected" {
			t.Errorf("a replayed uninstall disconnected the reconnected store: %q", s.Status)
		}
	})

	t.Run("a customer redaction, every time", func(t *testing.T) {
		if err := env.Fake.RedactCustomer(fakeshopify.AcmeDomain, maya.ID); err != nil {
			t.Fatal(err)
		}
		env.Fake.FlushWebhooks()
		d := lastDelivery(t, env, "customers/redact")
		if got := env.postWebhook(t, d.Topic, fakeshopify.AcmeDomain, "redact-again", d.Header.Get("X-Shopify-Hmac-Sha256"), d.Body); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
		wantMetric(t, env, `shopcard_webhook_deliveries_total{outcome="processed",topic="customers/redact"} 2`)
	})
	wantMetric(t, env, `shopcard_webhook_deliveries_total{outcome="duplicate",topic="customers/update"} 1`,
		`shopcard_webhook_deliveries_total{outcome="duplicate",topic="app/uninstalled"} 1`)
}

// lastDelivery is the fake's last delivery of a topic to Acme.
func lastDelivery(t *testing.T, env *testEnv, topic string) fakeshopify.WebhookDelivery {
	t.Helper()
	all := env.Fake.WebhookDeliveries(fakeshopify.AcmeDomain)
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Topic == topic {
			return all[i]
		}
	}
	t.Fatalf("no %s delivery", topic)
	return fakeshopify.WebhookDelivery{}
}
