package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"shopcard/atrest"
	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/internal/apptest"
	"shopcard/sqlite"
)

// cliDB opens the test server's database as the CLI would, from another
// process: a second connection pool on the same file, with the same key.
func cliDB(t *testing.T, env *testEnv) *sqlite.DB {
	t.Helper()
	key, _, err := atrest.LoadKey(env.App.Config.SecretKey, "")
	if err != nil {
		t.Fatal(err)
	}
	box, err := atrest.New(key)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), env.App.Config.DB, box)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestARemovedStoreIsNeverAnother: a store removed by the CLI while the
// server runs stops being served at once, and the store connected next
// never shows the removed store's cached or last good answers, even when
// Shopify fails for it (which would serve a last good answer under its
// key). Sakura, the newest store, is the one whose ID SQLite reused.
func TestARemovedStoreIsNeverAnother(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ctx := context.Background()
	sakura := env.Stores[fakeshopify.SakuraDomain]
	tok := env.Token(t, fakeshopify.EmailJapanese)
	if body := env.SectionWith(t, fakeshopify.SakuraDomain, tok).Text(); !strings.Contains(body, "Yamada") && !strings.Contains(body, "山田") {
		t.Fatalf("Sakura's section has no Hanako Yamada:\n%s", body)
	}

	cli := cliDB(t, env)
	if err := cli.RemoveStore(ctx, env.WS.ID, sakura.ID); err != nil {
		t.Fatal(err)
	}
	resp, _ := env.Get(t, apptest.SectionPath(sakura), tok)
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("the removed store's section: %d, want 404", resp.StatusCode)
	}

	// Another store, connected by the CLI, whose Shopify is down.
	const other = "other-shop.myshopify.com"
	if err := env.Fake.AddStore(fakeshopify.Store{Domain: other, Tokens: []fakeshopify.Token{{Value: "shpat_other", Scopes: []string{"read_customers", "read_orders"}}}}); err != nil {
		t.Fatal(err)
	}
	env.Fake.SetFaults(other, fakeshopify.Faults{Status: http.StatusServiceUnavailable})
	next, _, err := cli.SaveStore(ctx, domain.Store{WorkspaceID: env.WS.ID, Domain: other, AccessToken: domain.NewSecret("shpat_other"), Scopes: []string{"read_customers", "read_orders"}})
	if err != nil {
		t.Fatal(err)
	}
	if next.ID == sakura.ID {
		t.Errorf("the new store got the removed store's ID %d", sakura.ID)
	}
	resp, body := env.Get(t, apptest.SectionPath(next), tok)
	if strings.Contains(body, "Yamada") || strings.Contains(body, "山田") {
		t.Fatalf("the new store's section (%d) shows the removed store's customer:\n%.300s", resp.StatusCode, body)
	}
	// And the page lists the stores as they are now.
	_, page := env.Get(t, "/sidebar?token="+tok, "")
	if strings.Contains(page, "Sakura") || !strings.Contains(page, other) {
		t.Errorf("the page does not list the stores as they are:\n%s", page)
	}
}
