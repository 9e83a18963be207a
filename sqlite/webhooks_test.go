package sqlite

import (
	"context"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
)

func TestWebhookStorage(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	a, _ := db.CreateWorkspace(ctx, "a")
	b, _ := db.CreateWorkspace(ctx, "b")
	const shop = "shared.myshopify.com"
	save := func(ws domain.Workspace, d string) domain.Store {
		t.Helper()
		s, _, err := db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: d, AccessToken: domain.NewSecret("shpat_" + ws.Name), Scopes: []string{"read_customers"}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	inA, inB, other := save(a, shop), save(b, shop), save(a, "other.myshopify.com")

	t.Run("webhook secrets are sealed, per store, found by shop", func(t *testing.T) {
		if err := db.SetWebhookSecret(ctx, a.ID, inA.ID, domain.NewSecret("whsec_a")); err != nil {
			t.Fatal(err)
		}
		if err := db.SetWebhookSecret(ctx, b.ID, inB.ID, domain.NewSecret("whsec_b")); err != nil {
			t.Fatal(err)
		}
		if err := db.SetWebhookSecret(ctx, b.ID, inA.ID, domain.NewSecret("x")); domain.KindOf(err) != domain.KindNotFound {
			t.Errorf("workspace b set a secret on a's store: %v", err)
		}
		got, err := db.WebhookKeysForShop(ctx, shop)
		if err != nil || len(got) != 2 || got[0].Secret.Reveal() != "whsec_a" || got[0].StoreID != inA.ID || got[1].Secret.Reveal() != "whsec_b" || got[1].StoreID != inB.ID {
			t.Fatalf("keys %v, %v", got, err)
		}
		var raw string
		db.db.QueryRow(`SELECT secret FROM store_webhook_secrets WHERE store_id = ?`, inA.ID).Scan(&raw)
		if raw == "" || strings.Contains(raw, "whsec_a") {
			t.Errorf("secret stored as %q", raw)
		}
		if has, _ := db.HasWebhookSecret(ctx, other.ID); has {
			t.Error("a store without a secret has one")
		}
		db.SetWebhookSecret(ctx, b.ID, inB.ID, domain.Secret{})
		if got, _ := db.WebhookKeysForShop(ctx, shop); len(got) != 1 {
			t.Errorf("an empty secret did not remove it: %d left", len(got))
		}
	})

	t.Run("deliveries are claimed once, by ID and by body, for a week", func(t *testing.T) {
		now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
		claim := func(id, hash string, byBody bool, at time.Time) bool {
			t.Helper()
			ok, err := db.ClaimWebhookDelivery(ctx, domain.WebhookClaim{WebhookID: id, ShopDomain: shop, Topic: "customers/update",
				BodyHash: hash, ByBody: byBody, At: at, Since: at.Add(-7 * 24 * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		steps := []struct {
			name   string
			id     string
			hash   string
			byBody bool
			at     time.Time
			want   bool
		}{
			{"a new delivery", "w-1", "h1", true, now, true},
			{"its redelivery", "w-1", "h1", true, now, false},
			{"its body under a new ID", "w-2", "h1", true, now.Add(time.Hour), false},
			{"its body under a new ID, for a topic acted on every time", "w-3", "h1", false, now.Add(time.Hour), true},
			{"another body", "w-4", "h2", true, now.Add(time.Hour), true},
			{"the body again after the window", "w-5", "h1", true, now.Add(8 * 24 * time.Hour), true},
			{"the first ID, forgotten after a week", "w-1", "h9", true, now.Add(8 * 24 * time.Hour), true},
		}
		for _, s := range steps {
			if got := claim(s.id, s.hash, s.byBody, s.at); got != s.want {
				t.Errorf("%s: claimed %v, want %v", s.name, got, s.want)
			}
		}
		if err := db.ReleaseWebhookDelivery(ctx, "w-4"); err != nil {
			t.Fatal(err)
		}
		if !claim("w-4", "h2", true, now.Add(time.Hour)) {
			t.Error("a released delivery could not be claimed again")
		}
	})

	t.Run("subscriptions", func(t *testing.T) {
		db.RecordWebhookSubscription(ctx, domain.WebhookSubscription{StoreID: inA.ID, Topic: "orders/updated", URI: "https://x/webhooks/shopify", Status: domain.WebhookFailed, LastError: "no"})
		db.RecordWebhookSubscription(ctx, domain.WebhookSubscription{StoreID: inA.ID, Topic: "orders/updated", URI: "https://x/webhooks/shopify", ShopifyID: "gid://shopify/WebhookSubscription/1", Status: domain.WebhookActive})
		db.RecordWebhookSubscription(ctx, domain.WebhookSubscription{StoreID: inA.ID, Topic: "customers/update", URI: "https://x/webhooks/shopify", ShopifyID: "gid://shopify/WebhookSubscription/2", Status: domain.WebhookActive})
		subs, err := db.WebhookSubscriptions(ctx, inA.ID)
		if err != nil || len(subs) != 2 || subs[1].Topic != "orders/updated" || subs[1].Status != domain.WebhookActive || subs[1].LastError != "" || subs[1].UpdatedAt.IsZero() {
			t.Errorf("subscriptions %+v, %v", subs, err)
		}
	})

	t.Run("scopes update", func(t *testing.T) {
		if err := db.UpdateStoreScopes(ctx, []int64{inB.ID}, []string{"read_customers", "read_orders"}); err != nil {
			t.Fatal(err)
		}
		s, _ := db.StoreByID(ctx, b.ID, inB.ID)
		untouched, _ := db.StoreByID(ctx, a.ID, inA.ID)
		if strings.Join(s.Scopes, ",") != "read_customers,read_orders" || len(untouched.Scopes) != 1 {
			t.Errorf("scopes %v and %v", s.Scopes, untouched.Scopes)
		}
	})

	t.Run("uninstall disconnects and deletes the tokens", func(t *testing.T) {
		if err := db.DisconnectStores(ctx, []int64{inA.ID, inB.ID}, "The app was uninstalled."); err != nil {
			t.Fatal(err)
		}
		for _, ws := range []domain.Workspace{a, b} {
			s, err := db.StoreByDomain(ctx, ws.ID, shop)
			if err != nil || s.Status != domain.StoreDisconnected || !s.AccessToken.IsZero() || s.LastError != "The app was uninstalled." {
				t.Errorf("%s: %+v, %v", ws.Name, s, err)
			}
		}
		if o, _ := db.StoreByID(ctx, a.ID, other.ID); o.Status != domain.StoreHealthy || o.AccessToken.IsZero() {
			t.Error("another shop was disconnected")
		}
		counts, err := db.StoreStatusCounts(ctx)
		if err != nil || counts["disconnected"] != 2 || counts["healthy"] != 1 {
			t.Errorf("counts %v, %v", counts, err)
		}
	})

	t.Run("shop redaction deletes the connections and what hangs off them", func(t *testing.T) {
		if err := db.DeleteStores(ctx, []int64{inA.ID}); err != nil {
			t.Fatal(err)
		}
		var n int
		db.db.QueryRow(`SELECT COUNT(*) FROM webhook_deliveries`).Scan(&n)
		if n == 0 {
			t.Error("deliveries forgotten while the shop is still connected elsewhere")
		}
		if err := db.DeleteStores(ctx, []int64{inB.ID, 9999}); err != nil {
			t.Fatal(err)
		}
		if left, _ := db.StoresByShop(ctx, shop); len(left) != 0 {
			t.Errorf("%d connections left", len(left))
		}
		for _, table := range []string{"store_webhook_secrets", "webhook_subscriptions", "webhook_deliveries"} {
			var n int
			db.db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n)
			if n != 0 {
				t.Errorf("%s keeps %d rows", table, n)
			}
		}
		if _, err := db.StoreByID(ctx, a.ID, other.ID); err != nil {
			t.Errorf("another shop was deleted: %v", err)
		}
	})
}
