package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shopcard/atrest"
	"shopcard/domain"
)

func TestMigrationFromVersion1KeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	box, _ := atrest.New(bytes.Repeat([]byte{7}, atrest.KeySize))
	// Build a version-1 database by hand, as an older shopcard left it.
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(migrations[1]); err != nil {
		t.Fatal(err)
	}
	secret, _ := box.Seal(embedSecretContext("old"), "old-secret")
	token, _ := box.Seal(tokenContext("old.myshopify.com", 1), "shpat_old")
	for _, q := range []string{
		`INSERT INTO schema_migrations VALUES (1, '2026-01-01T00:00:00Z')`,
		`INSERT INTO workspaces (id, name, embed_secret, created_at) VALUES (1, 'old', '` + secret + `', '2026-01-01T00:00:00Z')`,
		`INSERT INTO stores (workspace_id, domain, shop_name, access_token, scopes, created_at) VALUES (1, 'old.myshopify.com', 'Old', '` + token + `', 'read_customers,read_orders', '2026-01-01T00:00:00Z')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := Open(ctx, path, box)
	if err != nil {
		t.Fatalf("migrate from version 1: %v", err)
	}
	defer db.Close()
	ws, err := db.WorkspaceByName(ctx, "old")
	if err != nil || ws.EmbedSecret.Reveal() != "old-secret" || len(ws.FrameAncestors) != 0 || ws.CacheTTL != 0 || !ws.PreviousEmbedSecret.IsZero() {
		t.Fatalf("workspace after migration: %+v, %v", ws, err)
	}
	s, err := db.StoreByDomain(ctx, ws.ID, "old.myshopify.com")
	if err != nil || s.AccessToken.Reveal() != "shpat_old" || s.TokenKind != domain.TokenCustomApp || s.Expiring() || !s.RefreshToken.IsZero() {
		t.Fatalf("store after migration: %+v, %v", s, err)
	}
}

func TestAdminsAndSessions(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ws, _ := db.CreateWorkspace(ctx, "acme")
	other, _ := db.CreateWorkspace(ctx, "other")
	a, err := db.CreateAdmin(ctx, ws.ID, "ada@example.com", "$argon2id$hash")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateAdmin(ctx, other.ID, "ada@example.com", "$argon2id$other"); domain.KindOf(err) != domain.KindConflict {
		t.Errorf("the same email in two workspaces: %v", err)
	}
	got, err := db.AdminByEmail(ctx, "ada@example.com")
	if err != nil || got.ID != a.ID || got.WorkspaceID != ws.ID || got.PasswordHash != "$argon2id$hash" {
		t.Fatalf("AdminByEmail: %+v %v", got, err)
	}
	if _, err := db.AdminByEmail(ctx, "nobody@example.com"); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("unknown admin: %v", err)
	}

	id, err := db.CreateSession(ctx, a.ID, "hash-1")
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.SessionByTokenHash(ctx, "hash-1")
	if err != nil || s.ID != id || s.Admin.Email != "ada@example.com" || s.Admin.WorkspaceID != ws.ID {
		t.Fatalf("session: %+v %v", s, err)
	}

	// Notices are shown once.
	if err := db.SetNotice(ctx, id, domain.Notice{Message: "Saved.", Error: true}); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.TakeNotice(ctx, id); n.Message != "Saved." || !n.Error {
		t.Errorf("notice %+v", n)
	}
	if n, _ := db.TakeNotice(ctx, id); n.Message != "" {
		t.Errorf("the notice came back: %+v", n)
	}

	// OAuth states are single use and bound to their session.
	other2, _ := db.CreateSession(ctx, a.ID, "hash-2")
	if err := db.SaveOAuthState(ctx, id, "state-hash", "acme.myshopify.com"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.TakeOAuthState(ctx, other2, "state-hash"); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("another session took the state: %v", err)
	}
	shop, at, err := db.TakeOAuthState(ctx, id, "state-hash")
	if err != nil || shop != "acme.myshopify.com" || time.Since(at) > time.Minute {
		t.Errorf("take state: %q %v %v", shop, at, err)
	}
	if _, _, err := db.TakeOAuthState(ctx, id, "state-hash"); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("a state was taken twice: %v", err)
	}

	// Expiry and deletion.
	old := time.Now().Add(-3 * time.Hour)
	if err := db.TouchSession(ctx, other2, old); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteExpiredSessions(ctx, time.Now().Add(-2*time.Hour), time.Now().Add(-12*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionByTokenHash(ctx, "hash-2"); domain.KindOf(err) != domain.KindNotFound {
		t.Error("an idle session survived DeleteExpiredSessions")
	}
	if _, err := db.SessionByTokenHash(ctx, "hash-1"); err != nil {
		t.Error("DeleteExpiredSessions removed an active session")
	}
	// A new password signs the admin out everywhere.
	if err := db.SetAdminPassword(ctx, a.ID, "$argon2id$new"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionByTokenHash(ctx, "hash-1"); domain.KindOf(err) != domain.KindNotFound {
		t.Error("a session survived a password change")
	}
	if err := db.DeleteSession(ctx, id); err != nil {
		t.Errorf("deleting a gone session: %v", err)
	}
}

func TestSecretRotationAndSettings(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ws, _ := db.CreateWorkspace(ctx, "acme")
	rotated, err := db.RotateEmbedSecret(ctx, ws.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if rotated.EmbedSecret.Reveal() == ws.EmbedSecret.Reveal() || rotated.PreviousEmbedSecret.Reveal() != ws.EmbedSecret.Reveal() {
		t.Fatal("rotation did not keep the old secret as the previous one")
	}
	if got := rotated.VerifyingSecrets(time.Now()); len(got) != 2 {
		t.Errorf("%d secrets verify during the grace period", len(got))
	}
	if got := rotated.VerifyingSecrets(time.Now().Add(2 * time.Hour)); len(got) != 1 || got[0].Reveal() != rotated.EmbedSecret.Reveal() {
		t.Error("the previous secret verifies after the grace period")
	}
	var raw string
	db.db.QueryRow(`SELECT previous_embed_secret FROM workspaces WHERE id = ?`, ws.ID).Scan(&raw)
	if raw == "" || strings.Contains(raw, ws.EmbedSecret.Reveal()) {
		t.Errorf("previous secret stored as %q", raw)
	}
	again, _ := db.RotateEmbedSecret(ctx, ws.ID, 0)
	if !again.PreviousEmbedSecret.IsZero() || len(again.VerifyingSecrets(time.Now())) != 1 {
		t.Error("a rotation without grace kept a previous secret")
	}

	if err := db.UpdateWorkspaceSettings(ctx, ws.ID, []string{"https://a.example", "'self'"}, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	s, _, _ := db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: "a.myshopify.com", AccessToken: domain.NewSecret("shpat_a")})
	got, _ := db.WorkspaceByID(ctx, ws.ID)
	if strings.Join(got.FrameAncestors, " ") != "https://a.example 'self'" || got.CacheTTL != 90*time.Second {
		t.Errorf("settings %v %v", got.FrameAncestors, got.CacheTTL)
	}
	if s.CacheTTL != 90*time.Second {
		t.Errorf("the store's cache TTL is %v, not the workspace's", s.CacheTTL)
	}
	if err := db.UpdateWorkspaceSettings(ctx, 999, nil, 0); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("unknown workspace: %v", err)
	}
}

func TestOAuthTokensAtRest(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ws, _ := db.CreateWorkspace(ctx, "acme")
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	s, _, err := db.SaveStore(ctx, domain.Store{
		WorkspaceID: ws.ID, Domain: "a.myshopify.com", AccessToken: domain.NewSecret("shpat_access_1"),
		TokenKind: domain.TokenOAuth, RefreshToken: domain.NewSecret("shprt_refresh_1"),
		AccessTokenExpiresAt: exp, RefreshTokenExpiresAt: exp.Add(90 * 24 * time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Expiring() || s.RefreshToken.Reveal() != "shprt_refresh_1" || !s.AccessTokenExpiresAt.Equal(exp) {
		t.Fatalf("read back %+v", s)
	}
	var access, refresh string
	db.db.QueryRow(`SELECT access_token, refresh_token FROM stores WHERE id = ?`, s.ID).Scan(&access, &refresh)
	if strings.Contains(access, "shpat_access_1") || strings.Contains(refresh, "shprt_refresh_1") || refresh == "" {
		t.Errorf("tokens stored as %q, %q", access, refresh)
	}

	s.AccessToken, s.RefreshToken, s.AccessTokenExpiresAt = domain.NewSecret("shpat_access_2"), domain.NewSecret("shprt_refresh_2"), exp.Add(time.Hour)
	if err := db.SaveStoreTokens(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, _ := db.StoreByID(ctx, ws.ID, s.ID)
	if got.AccessToken.Reveal() != "shpat_access_2" || got.RefreshToken.Reveal() != "shprt_refresh_2" || !got.AccessTokenExpiresAt.Equal(exp.Add(time.Hour)) {
		t.Errorf("after refresh: %+v", got)
	}
	// A refresh for a store that was disconnected meanwhile saves nothing.
	db.RemoveStore(ctx, ws.ID, s.ID)
	if err := db.SaveStoreTokens(ctx, s); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("tokens saved for a removed store: %v", err)
	}

	// Replacing an OAuth connection with a custom-app token drops the
	// refresh token and expiry.
	s, _, _ = db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: "b.myshopify.com", AccessToken: domain.NewSecret("x"), TokenKind: domain.TokenOAuth, RefreshToken: domain.NewSecret("r"), AccessTokenExpiresAt: exp})
	s, _, _ = db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: "b.myshopify.com", AccessToken: domain.NewSecret("shpat_custom")})
	if s.TokenKind != domain.TokenCustomApp || !s.RefreshToken.IsZero() || s.Expiring() {
		t.Errorf("after switching to a custom-app token: %+v", s)
	}
	if err := db.UpdateStoreAccess(ctx, ws.ID, s.ID, "Renamed", []string{"read_orders"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.StoreByID(ctx, ws.ID, s.ID); got.ShopName != "Renamed" || len(got.Scopes) != 1 {
		t.Errorf("UpdateStoreAccess: %+v", got)
	}
	if err := db.UpdateStoreAccess(ctx, ws.ID+1, s.ID, "x", nil); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("another workspace updated the store: %v", err)
	}
}
