package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"shopcard/auth"
	"shopcard/domain"
)

func TestAPIKeys(t *testing.T) {
	ctx := context.Background()
	db, path := openTestDB(t)
	acme, _ := db.CreateWorkspace(ctx, "acme")
	other, _ := db.CreateWorkspace(ctx, "other")

	key := auth.NewAPIKey()
	created, err := db.CreateAPIKey(ctx, acme.ID, "  Support agent  ", auth.HashToken(key), key[:auth.APIKeyShownPrefix])
	if err != nil {
		t.Fatal(err)
	}
	if created.Name != "Support agent" || created.WorkspaceID != acme.ID || created.Prefix != key[:12] || created.Revoked() {
		t.Errorf("created %+v", created)
	}
	if _, err := db.CreateAPIKey(ctx, acme.ID, strings.Repeat("n", 81), auth.HashToken(auth.NewAPIKey()), "sck_x"); domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("a long name: %v", err)
	}
	unnamed, err := db.CreateAPIKey(ctx, acme.ID, "", auth.HashToken(auth.NewAPIKey()), "sck_y")
	if err != nil || unnamed.Name != "API key" {
		t.Errorf("unnamed %+v, %v", unnamed, err)
	}

	got, err := db.APIKeyByHash(ctx, auth.HashToken(key))
	if err != nil || got.ID != created.ID || got.WorkspaceID != acme.ID {
		t.Fatalf("by hash: %+v, %v", got, err)
	}
	if _, err := db.APIKeyByHash(ctx, auth.HashToken(key+"x")); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("unknown key: %v", err)
	}
	used := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	if err := db.TouchAPIKey(ctx, created.ID, used); err != nil {
		t.Fatal(err)
	}
	list, err := db.APIKeys(ctx, acme.ID)
	if err != nil || len(list) != 2 || list[0].ID != unnamed.ID || !list[1].LastUsedAt.Equal(used) {
		t.Fatalf("list %+v, %v", list, err)
	}
	if list, _ := db.APIKeys(ctx, other.ID); len(list) != 0 {
		t.Errorf("the other workspace lists %+v", list)
	}

	// Another workspace cannot revoke it.
	if _, err := db.RevokeAPIKey(ctx, other.ID, created.ID); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("revoked from another workspace: %v", err)
	}
	if _, err := db.APIKeyByHash(ctx, auth.HashToken(key)); err != nil {
		t.Fatal("the key stopped working after another workspace's attempt")
	}
	revoked, err := db.RevokeAPIKey(ctx, acme.ID, created.ID)
	if err != nil || !revoked.Revoked() {
		t.Fatalf("revoke: %+v, %v", revoked, err)
	}
	if _, err := db.APIKeyByHash(ctx, auth.HashToken(key)); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("a revoked key is still found: %v", err)
	}
	if again, err := db.RevokeAPIKey(ctx, acme.ID, created.ID); err != nil || !again.RevokedAt.Equal(revoked.RevokedAt) {
		t.Errorf("revoking twice: %+v, %v", again, err)
	}

	// Only the hash is stored: the key is nowhere in the database.
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM api_keys WHERE key_hash = ? OR name LIKE ? OR prefix = ?`, key, "%"+key[12:]+"%", key).Scan(&n); err != nil || n != 0 {
		t.Errorf("the key itself is stored (%d rows, %v)", n, err)
	}
}

func TestAIToolSettings(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	acme, _ := db.CreateWorkspace(ctx, "acme")
	other, _ := db.CreateWorkspace(ctx, "other")
	if got, err := db.AIToolSettings(ctx, acme.ID); err != nil || len(got) != 0 {
		t.Fatalf("fresh workspace: %v, %v", got, err)
	}
	for _, step := range []struct {
		tool    string
		enabled bool
	}{{"search_products", false}, {"get_order_details", false}, {"search_products", true}} {
		if err := db.SetAIToolEnabled(ctx, acme.ID, step.tool, step.enabled); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.AIToolSettings(ctx, acme.ID)
	if err != nil || len(got) != 2 || !got["search_products"] || got["get_order_details"] {
		t.Errorf("settings %v, %v", got, err)
	}
	if got, _ := db.AIToolSettings(ctx, other.ID); len(got) != 0 {
		t.Errorf("the other workspace has %v", got)
	}
}
