package sqlite

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
)

// TestDevDashboardCredentialsAtRest: a Dev Dashboard app's client secret
// is sealed like every token, survives a renewal of the access token, and
// is a key for the shop's webhooks.
func TestDevDashboardCredentialsAtRest(t *testing.T) {
	ctx := context.Background()
	db, path := openTestDB(t)
	ws, _ := db.CreateWorkspace(ctx, "acme")
	exp := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
	s, _, err := db.SaveStore(ctx, domain.Store{
		WorkspaceID: ws.ID, Domain: "a.myshopify.com", AccessToken: domain.NewSecret("shpat_cc_access_1"),
		TokenKind: domain.TokenClientCredentials, ClientID: "client-id-1", ClientSecret: domain.NewSecret("shpss_client_secret_1"),
		AccessTokenExpiresAt: exp, TokenRenewedAt: exp.Add(-24 * time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Expiring() || !s.Renewable() || s.ClientID != "client-id-1" || s.ClientSecret.Reveal() != "shpss_client_secret_1" ||
		!s.AccessTokenExpiresAt.Equal(exp) || !s.TokenRenewedAt.Equal(exp.Add(-24*time.Hour)) {
		t.Fatalf("read back %+v", s)
	}
	var sealed string
	db.db.QueryRow(`SELECT client_secret FROM stores WHERE id = ?`, s.ID).Scan(&sealed)
	if sealed == "" || strings.Contains(sealed, "shpss_client_secret_1") {
		t.Errorf("client secret stored as %q", sealed)
	}
	db.db.Exec(`PRAGMA wal_checkpoint(FULL)`)
	for _, file := range []string{path, path + "-wal"} {
		if raw, err := os.ReadFile(file); err == nil && strings.Contains(string(raw), "shpss_client_secret_1") {
			t.Errorf("%s holds the client secret in the clear", file)
		}
	}

	// A renewal replaces the token and its times, not the credentials.
	renewedAt := time.Now().UTC().Truncate(time.Second)
	s.AccessToken, s.AccessTokenExpiresAt, s.TokenRenewedAt = domain.NewSecret("shpat_cc_access_2"), exp.Add(time.Hour), renewedAt
	if err := db.SaveStoreTokens(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, _ := db.StoreByID(ctx, ws.ID, s.ID)
	if got.AccessToken.Reveal() != "shpat_cc_access_2" || got.ClientSecret.Reveal() != "shpss_client_secret_1" || got.ClientID != "client-id-1" ||
		!got.TokenRenewedAt.Equal(renewedAt) || !got.AccessTokenExpiresAt.Equal(exp.Add(time.Hour)) {
		t.Errorf("after a renewal: %+v", got)
	}

	// Its client secret verifies the shop's webhooks, for it alone; a
	// custom app's connection of the same shop brings its own secret.
	other, _ := db.CreateWorkspace(ctx, "other")
	custom, _, _ := db.SaveStore(ctx, domain.Store{WorkspaceID: other.ID, Domain: "a.myshopify.com", AccessToken: domain.NewSecret("shpat_x")})
	db.SetWebhookSecret(ctx, other.ID, custom.ID, domain.NewSecret("whsec_custom"))
	keys, err := db.WebhookKeysForShop(ctx, "a.myshopify.com")
	if err != nil {
		t.Fatal(err)
	}
	byStore := map[int64]string{}
	for _, k := range keys {
		byStore[k.StoreID] = k.Secret.Reveal()
	}
	if len(keys) != 2 || byStore[s.ID] != "shpss_client_secret_1" || byStore[custom.ID] != "whsec_custom" {
		t.Errorf("webhook keys %v", byStore)
	}

	// Connecting the store with an access token instead drops the app's
	// credentials.
	s, _, _ = db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: "a.myshopify.com", AccessToken: domain.NewSecret("shpat_custom")})
	if s.TokenKind != domain.TokenCustomApp || s.ClientID != "" || !s.ClientSecret.IsZero() || s.Expiring() || s.Renewable() {
		t.Errorf("after switching to a custom-app token: %+v", s)
	}
}

// TestStoreResultsAndWebhookStateCarryTheirTimes: errors keep when they
// happened; webhooks remember their last verified delivery and the first
// refusal since, and a new secret starts over.
func TestStoreResultsAndWebhookStateCarryTheirTimes(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ws, _ := db.CreateWorkspace(ctx, "acme")
	other, _ := db.CreateWorkspace(ctx, "other")
	s, _, _ := db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: "a.myshopify.com", AccessToken: domain.NewSecret("t")})
	theirs, _, _ := db.SaveStore(ctx, domain.Store{WorkspaceID: other.ID, Domain: "a.myshopify.com", AccessToken: domain.NewSecret("u")})
	t0 := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	read := func(id, wsID int64) domain.Store {
		t.Helper()
		got, err := db.StoreByID(ctx, wsID, id)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	db.RecordStoreResult(ctx, s.ID, domain.StoreHealthy, "Shopify is having trouble (HTTP 503).", t0)
	if got := read(s.ID, ws.ID); got.LastError == "" || !got.LastErrorAt.Equal(t0) {
		t.Errorf("after a failure: %q at %v", got.LastError, got.LastErrorAt)
	}
	db.RecordStoreResult(ctx, s.ID, domain.StoreHealthy, "", t0.Add(time.Minute))
	if got := read(s.ID, ws.ID); got.LastError != "" || !got.LastErrorAt.IsZero() || !got.LastOKAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("after a success: %q at %v", got.LastError, got.LastErrorAt)
	}

	steps := []struct {
		name               string
		do                 func()
		verified, refused  time.Time // of s
		theirRefusedSince  time.Time
		connectionsCounted int
	}{
		{"a refusal marks every connection of the shop", func() {}, time.Time{}, t0, t0, 2},
		{"a later refusal keeps the first one's time", func() {}, time.Time{}, t0, t0, 2},
		{"a verified delivery ends the refusal for its store", func() { db.RecordWebhookVerified(ctx, []int64{s.ID}, t0.Add(2*time.Minute)) }, t0.Add(2 * time.Minute), time.Time{}, t0, 2},
		{"a new secret forgets both", func() { db.SetWebhookSecret(ctx, ws.ID, s.ID, domain.NewSecret("whsec_new")) }, time.Time{}, time.Time{}, t0, 2},
	}
	for i, st := range steps {
		if i < 2 {
			n, err := db.RecordWebhookRefused(ctx, "a.myshopify.com", t0.Add(time.Duration(i)*time.Minute))
			if err != nil || n != st.connectionsCounted {
				t.Fatalf("%s: %d connections, %v", st.name, n, err)
			}
		}
		st.do()
		got, their := read(s.ID, ws.ID), read(theirs.ID, other.ID)
		if !got.WebhookVerifiedAt.Equal(st.verified) || !got.WebhookRefusedSince.Equal(st.refused) || !their.WebhookRefusedSince.Equal(st.theirRefusedSince) {
			t.Errorf("%s: verified %v, refused since %v (theirs %v)", st.name, got.WebhookVerifiedAt, got.WebhookRefusedSince, their.WebhookRefusedSince)
		}
	}
	if n, err := db.RecordWebhookRefused(ctx, "nobody.myshopify.com", t0); n != 0 || err != nil {
		t.Errorf("a shop with no connection: %d, %v", n, err)
	}
}
