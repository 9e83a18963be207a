package sqlite

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"shopcard/atrest"
	"shopcard/domain"
)

// openTestDB opens a fresh database file in a temporary directory.
func openTestDB(tb testing.TB) (*DB, string) {
	tb.Helper()
	box, err := atrest.New(bytes.Repeat([]byte{7}, atrest.KeySize))
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "shopcard.db")
	db, err := Open(context.Background(), path, box)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, path
}

func TestWorkspaces(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ws, err := db.CreateWorkspace(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if len(ws.EmbedSecret.Reveal()) < 40 {
		t.Errorf("embed secret is only %d characters", len(ws.EmbedSecret.Reveal()))
	}
	got, err := db.WorkspaceByName(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != ws.ID || got.EmbedSecret.Reveal() != ws.EmbedSecret.Reveal() {
		t.Errorf("read back %+v, want %+v", got, ws)
	}

	tests := []struct {
		name string
		ws   string
		want domain.Kind
	}{
		{"duplicate", "acme", domain.KindConflict},
		{"uppercase", "Acme", domain.KindInvalid},
		{"spaces", "my team", domain.KindInvalid},
		{"empty", "", domain.KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.CreateWorkspace(ctx, tt.ws)
			if domain.KindOf(err) != tt.want {
				t.Errorf("kind %v (%v), want %v", domain.KindOf(err), err, tt.want)
			}
		})
	}
	if _, err := db.WorkspaceByName(ctx, "nope"); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("unknown workspace: %v", err)
	}
}

func TestStores(t *testing.T) {
	ctx := context.Background()
	db, path := openTestDB(t)
	a, _ := db.CreateWorkspace(ctx, "a")
	b, _ := db.CreateWorkspace(ctx, "b")

	s, created, err := db.SaveStore(ctx, domain.Store{WorkspaceID: a.ID, Domain: "one.myshopify.com", ShopName: "One", AccessToken: domain.NewSecret("shpat_first"), Scopes: []string{"read_customers", "read_orders"}})
	if err != nil || !created {
		t.Fatalf("save: created %v err %v", created, err)
	}
	if s.Status != domain.StoreHealthy || s.AccessToken.Reveal() != "shpat_first" || len(s.Scopes) != 2 {
		t.Errorf("saved store = %+v", s)
	}

	// Reconnecting replaces the token and heals the status.
	if err := db.RecordStoreResult(ctx, s.ID, domain.StoreNeedsReconnect, "Shopify rejected the token.", s.CreatedAt); err != nil {
		t.Fatal(err)
	}
	s2, created, err := db.SaveStore(ctx, domain.Store{WorkspaceID: a.ID, Domain: "one.myshopify.com", ShopName: "One", AccessToken: domain.NewSecret("shpat_second")})
	if err != nil || created || s2.ID != s.ID {
		t.Fatalf("resave: created %v id %d err %v", created, s2.ID, err)
	}
	if s2.AccessToken.Reveal() != "shpat_second" || s2.Status != domain.StoreHealthy || s2.LastError != "" {
		t.Errorf("after reconnect: %+v", s2)
	}

	// Workspace isolation: b cannot see a's store by ID.
	if _, err := db.StoreByID(ctx, b.ID, s.ID); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("other workspace read the store: %v", err)
	}
	if err := db.RemoveStore(ctx, b.ID, s.ID); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("other workspace removed the store: %v", err)
	}
	list, _ := db.StoresByWorkspace(ctx, b.ID)
	if len(list) != 0 {
		t.Errorf("workspace b lists %d stores", len(list))
	}

	// Tokens and embed secrets are encrypted at rest.
	var raw string
	db.db.QueryRow(`SELECT access_token FROM stores WHERE id = ?`, s.ID).Scan(&raw)
	if raw == "" || strings.Contains(raw, "shpat_second") {
		t.Errorf("access token stored as %q", raw)
	}
	db.db.QueryRow(`SELECT embed_secret FROM workspaces WHERE id = ?`, a.ID).Scan(&raw)
	if strings.Contains(raw, a.EmbedSecret.Reveal()) {
		t.Error("embed secret stored in plain text")
	}

	if err := db.RemoveStore(ctx, a.ID, s.ID); err != nil {
		t.Fatal(err)
	}
	list, _ = db.StoresByWorkspace(ctx, a.ID)
	if len(list) != 0 {
		t.Errorf("store still listed after removal")
	}

	// Reopening runs no migration twice.
	db.Close()
	box, _ := atrest.New(bytes.Repeat([]byte{7}, atrest.KeySize))
	again, err := Open(ctx, path, box)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	again.Close()
}

func TestWrongKeyIsAClearError(t *testing.T) {
	ctx := context.Background()
	db, path := openTestDB(t)
	if _, err := db.CreateWorkspace(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	other, _ := atrest.New(bytes.Repeat([]byte{8}, atrest.KeySize))
	// Refused at open, before any secret would fail to open on a page.
	_, err := Open(ctx, path, other)
	if !errors.Is(err, ErrWrongKey) || !strings.Contains(err.Error(), path) {
		t.Errorf("wrong key gave %v", err)
	}
}
