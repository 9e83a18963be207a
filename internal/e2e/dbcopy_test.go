package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"shopcard/auth"
	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/inbox"
	"shopcard/internal/apptest"
	"shopcard/internal/pgtest"
)

// TestDBCopyMovesAnInstallToPostgreSQL fills a SQLite install through the
// application (stores of every kind with their secrets, admins, a
// session, an OAuth state, webhook state, keys, switches, an
// installation), copies it with `shopcard db copy`, and runs the
// application on the copy: everything is there, every secret opens with
// the same key, IDs go on where SQLite left off, and a second copy into
// the same database is refused.
func TestDBCopyMovesAnInstallToPostgreSQL(t *testing.T) {
	t.Parallel()
	target := pgtest.NewDatabase(t)
	src := apptest.Start(t, apptest.Options{Layout: apptest.AdminLayout})
	ctx := context.Background()
	db := src.App.DB
	acme := src.Stores[fakeshopify.AcmeDomain]
	if err := db.SetWebhookSecret(ctx, src.WS.ID, acme.ID, domain.NewSecret("whsec_copied")); err != nil {
		t.Fatal(err)
	}
	oauth, _, err := db.SaveStore(ctx, domain.Store{WorkspaceID: src.WS.ID, Domain: "oauth-shop.myshopify.com", AccessToken: domain.NewSecret("shpat_oauth"),
		TokenKind: domain.TokenOAuth, RefreshToken: domain.NewSecret("shprt_refresh"), AccessTokenExpiresAt: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	dev, _, err := db.SaveStore(ctx, domain.Store{WorkspaceID: src.WS.ID, Domain: "dev-shop.myshopify.com", AccessToken: domain.NewSecret("shpat_dev"),
		TokenKind: domain.TokenClientCredentials, ClientID: "client-id", ClientSecret: domain.NewSecret("client-secret")})
	if err != nil {
		t.Fatal(err)
	}
	gone, _, err := db.SaveStore(ctx, domain.Store{WorkspaceID: src.WS.ID, Domain: "gone.myshopify.com", AccessToken: domain.NewSecret("shpat_gone")})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveStore(ctx, src.WS.ID, gone.ID); err != nil { // the newest ID, never to be handed out again
		t.Fatal(err)
	}
	src.SignIn(t, apptest.AdminEmail, apptest.AdminPassword) // a session
	key, _ := src.APIKey(t, src.WS, "agent")
	if err := db.SetAIToolEnabled(ctx, src.WS.ID, "search_products", false); err != nil {
		t.Fatal(err)
	}
	inst, err := db.CreateInstallation(ctx, inbox.Installation{WorkspaceID: src.WS.ID, Kind: inbox.Front, Settings: inbox.Settings{AuthSecret: domain.NewSecret("front-auth")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ClaimWebhookDelivery(ctx, domain.WebhookClaim{WebhookID: "seen-once", ShopDomain: fakeshopify.AcmeDomain, Topic: "orders/create", BodyHash: "b", ByBody: true, At: time.Now(), Since: time.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	before, err := db.Workspaces(ctx)
	if err != nil {
		t.Fatal(err)
	}

	vars := map[string]string{"SHOPCARD_SECRET_KEY": src.App.Config.SecretKey}
	out, err := runCLI(t, testGetenv(vars), "", "db", "copy", "--from", src.App.Config.DB, "--to", target)
	if err != nil {
		t.Fatalf("db copy: %v\n%s", err, out)
	}
	for _, want := range []string{"workspaces  2", "stores      5", "sessions    1", "api_keys    1", "inbox_installations", "every count matches"} {
		if !strings.Contains(strings.Join(strings.Fields(out), "  "), strings.Join(strings.Fields(want), "  ")) && !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	out, err = runCLI(t, testGetenv(vars), "", "db", "copy", "--from", src.App.Config.DB, "--to", target)
	if err == nil || !strings.Contains(err.Error(), "already holds shopcard data") {
		t.Errorf("a second copy into the same database: %v\n%s", err, out)
	}

	// The application on the copy, with the same key.
	pg := apptest.Start(t, apptest.Options{DatabaseURL: target, Unseeded: true})
	cdb := pg.App.DB
	after, err := cdb.Workspaces(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Fatalf("%d workspaces after the copy, %d before", len(after), len(before))
	}
	for i := range before {
		if after[i].ID != before[i].ID || after[i].EmbedSecret.Reveal() != before[i].EmbedSecret.Reveal() {
			t.Errorf("workspace %s did not survive the copy", before[i].Name)
		}
	}
	for _, want := range []domain.Store{acme, oauth, dev} {
		got, err := cdb.StoreByID(ctx, src.WS.ID, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.AccessToken.Reveal() != want.AccessToken.Reveal() || got.RefreshToken.Reveal() != want.RefreshToken.Reveal() ||
			got.ClientSecret.Reveal() != want.ClientSecret.Reveal() || got.TokenKind != want.TokenKind || !got.CreatedAt.Truncate(time.Second).Equal(want.CreatedAt.Truncate(time.Second)) {
			t.Errorf("store %s did not survive the copy: %+v", want.Domain, got)
		}
	}
	if keys, err := cdb.WebhookKeysForShop(ctx, fakeshopify.AcmeDomain); err != nil || len(keys) != 1 || keys[0].Secret.Reveal() != "whsec_copied" {
		t.Errorf("webhook keys after the copy: %v %v", keys, err)
	}
	if _, err := cdb.APIKeyByHash(ctx, auth.HashToken(key)); err != nil {
		t.Errorf("the API key does not open after the copy: %v", err)
	}
	if s, err := cdb.AIToolSettings(ctx, src.WS.ID); err != nil || s["search_products"] {
		t.Errorf("AI switches after the copy: %v %v", s, err)
	}
	if got, err := cdb.InstallationByID(ctx, inst.ID); err != nil || got.Settings.AuthSecret.Reveal() != "front-auth" {
		t.Errorf("installation after the copy: %+v %v", got, err)
	}
	if claimed, err := cdb.ClaimWebhookDelivery(ctx, domain.WebhookClaim{WebhookID: "seen-once", ShopDomain: fakeshopify.AcmeDomain, Topic: "orders/create", At: time.Now()}); err != nil || claimed {
		t.Errorf("a delivery handled before the copy was claimed again: %v %v", claimed, err)
	}
	next, _, err := cdb.SaveStore(ctx, domain.Store{WorkspaceID: src.WS.ID, Domain: "next.myshopify.com", AccessToken: domain.NewSecret("t")})
	if err != nil {
		t.Fatal(err)
	}
	if next.ID <= gone.ID {
		t.Errorf("the first store after the copy got ID %d, reusing one SQLite handed out (%d)", next.ID, gone.ID)
	}
	// An admin signs in on the copy with the same password.
	pg.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
}
