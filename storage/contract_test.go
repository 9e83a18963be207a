package storage_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"shopcard/atrest"
	"shopcard/auth"
	"shopcard/domain"
	"shopcard/handlers/admin"
	"shopcard/inbox"
	"shopcard/inbox/session"
	"shopcard/internal/pgtest"
	"shopcard/postgres"
	"shopcard/sqlite"
	"shopcard/storage"
)

// The storage contract: every behaviour below runs against both engines,
// with the same assertions, errors' kinds and messages included. An
// engine that drifts from the other fails here.

// engine opens a fresh, empty database of one kind.
type engine struct {
	name string
	open func(t *testing.T) *instance
}

// instance is one database under test, and what the contract needs to
// look behind it.
type instance struct {
	db storage.DB
	// raw reads one text column of one row as stored.
	raw func(t *testing.T, query string, args ...any) string
	// reopen opens the same database again with another key.
	reopen func(key []byte) error
	// throttle and allowance are the engine's sign-in throttle and
	// helpdesk allowance: memory on SQLite, shared on PostgreSQL.
	throttle  func() admin.SignInThrottle
	allowance func(now func() time.Time) session.Limiter
}

var testKey = bytes.Repeat([]byte{7}, 32)

func box(t *testing.T, key []byte) *atrest.Box {
	t.Helper()
	b, err := atrest.New(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var engines = []engine{
	{"sqlite", func(t *testing.T) *instance {
		path := filepath.Join(t.TempDir(), "contract.db")
		db, err := sqlite.Open(context.Background(), path, box(t, testKey))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return &instance{
			db: db,
			raw: func(t *testing.T, query string, args ...any) string {
				t.Helper()
				other, err := sqlite.RawForTests(path)
				if err != nil {
					t.Fatal(err)
				}
				defer other.Close()
				var s string
				if err := other.QueryRow(strings.ReplaceAll(query, "$1", "?"), args...).Scan(&s); err != nil {
					t.Fatal(err)
				}
				return s
			},
			reopen: func(key []byte) error {
				d, err := sqlite.Open(context.Background(), path, box(t, key))
				if err == nil {
					d.Close()
				}
				return err
			},
			throttle: func() admin.SignInThrottle { return auth.Local{Throttle: admin.NewThrottle()} },
			allowance: func(now func() time.Time) session.Limiter {
				return inbox.NewLimiter(inbox.VerifyRate, inbox.VerifyBurst, now)
			},
		}
	}},
	{"postgres", func(t *testing.T) *instance {
		url := pgtest.NewDatabase(t)
		db, err := postgres.Open(context.Background(), url, box(t, testKey), postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return &instance{
			db: db,
			raw: func(t *testing.T, query string, args ...any) string {
				t.Helper()
				var s string
				if err := db.Pool().QueryRow(context.Background(), query, args...).Scan(&s); err != nil {
					t.Fatal(err)
				}
				return s
			},
			reopen: func(key []byte) error {
				d, err := postgres.Open(context.Background(), url, box(t, key), postgres.Options{})
				if err == nil {
					d.Close()
				}
				return err
			},
			throttle: func() admin.SignInThrottle { return db.NewThrottle(admin.SignInRules(), discard) },
			allowance: func(now func() time.Time) session.Limiter {
				return db.NewVerifyAllowance(inbox.VerifyRate, inbox.VerifyBurst, now)
			},
		}
	}},
}

// contract runs check against every engine.
func contract(t *testing.T, check func(t *testing.T, in *instance)) {
	t.Helper()
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if r := recover(); r != nil {
					if f, ok := r.(mustFailed); ok {
						t.Fatal(f.err)
					}
					panic(r)
				}
			}()
			check(t, e.open(t))
		})
	}
}

// wantErr fails unless err has kind and exactly the message (err.Error()).
func wantErr(t *testing.T, err error, kind domain.Kind, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s %q", kind, message)
	}
	if domain.KindOf(err) != kind || err.Error() != message {
		t.Fatalf("error %s %q, want %s %q", domain.KindOf(err), err.Error(), kind, message)
	}
}

// must returns v, or fails the test with err: contract recovers the
// panic in the test's goroutine and fails it with the error.
func must[T any](v T, err error) T {
	if err != nil {
		panic(mustFailed{err})
	}
	return v
}

type mustFailed struct{ err error }

var ctx = context.Background()

func saveStore(t *testing.T, db storage.DB, ws int64, shop, token string) domain.Store {
	t.Helper()
	s, _, err := db.SaveStore(ctx, domain.Store{WorkspaceID: ws, Domain: shop, AccessToken: domain.NewSecret(token), Scopes: []string{"read_customers", "read_orders"}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWorkspacesAndTheirErrors(t *testing.T) {
	contract(t, func(t *testing.T, in *instance) {
		db := in.db
		ws := must(db.CreateWorkspace(ctx, "acme"))
		if ws.ID == 0 || ws.EmbedSecret.IsZero() || ws.CreatedAt.IsZero() {
			t.Fatalf("created workspace %+v", ws)
		}
		must(db.CreateWorkspace(ctx, "beta-2"))
		tests := []struct {
			name    string
			err     error
			kind    domain.Kind
			message string
		}{
			{"duplicate", second(db.CreateWorkspace(ctx, "acme")), domain.KindConflict, `create workspace "acme": A workspace named "acme" already exists.`},
			{"bad name", second(db.CreateWorkspace(ctx, "Acme!")), domain.KindInvalid, `create workspace: Workspace names use lowercase letters, digits and hyphens (up to 63), starting with a letter or digit; "Acme!" does not.`},
			{"unknown name", second(db.WorkspaceByName(ctx, "nope")), domain.KindNotFound, `workspace "nope": Workspace "nope" was not found.`},
			{"name with a NUL", second(db.WorkspaceByName(ctx, "a\x00b")), domain.KindNotFound, "workspace \"a\\x00b\": Workspace \"a\\x00b\" was not found."},
			{"unknown id", second(db.WorkspaceByID(ctx, 999)), domain.KindNotFound, `workspace 999: The workspace was not found.`},
			{"settings of nothing", db.UpdateWorkspaceSettings(ctx, 999, nil, 0), domain.KindNotFound, `update settings of workspace 999: The workspace was not found.`},
			{"store of nothing", second(db.StoreByID(ctx, ws.ID, 12345)), domain.KindNotFound, fmt.Sprintf("store 12345 in workspace %d: The store was not found.", ws.ID)},
			{"store by domain", second(db.StoreByDomain(ctx, ws.ID, "x.myshopify.com")), domain.KindNotFound, fmt.Sprintf("store x.myshopify.com in workspace %d: Store x.myshopify.com was not found.", ws.ID)},
			{"remove nothing", db.RemoveStore(ctx, ws.ID, 12345), domain.KindNotFound, fmt.Sprintf("remove store 12345 from workspace %d: The store was not found.", ws.ID)},
			{"admin", second(db.AdminByEmail(ctx, "no@example.com")), domain.KindNotFound, "admin by email: The admin was not found."},
			{"session", second(db.SessionByTokenHash(ctx, "feed")), domain.KindNotFound, "session by token: The session was not found."},
			{"installation", second(db.InstallationByID(ctx, "inst_unknown")), domain.KindNotFound, "installation " + inbox.Handle("inst_unknown") + ": The installation was not found."},
			{"api key", second(db.APIKeyByHash(ctx, "feed")), domain.KindNotFound, "API key by hash: The API key was not found."},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { wantErr(t, tt.err, tt.kind, tt.message) })
		}
		list := must(db.Workspaces(ctx))
		if len(list) != 2 || list[0].Name != "acme" || list[1].Name != "beta-2" {
			t.Errorf("workspaces %v", list)
		}
	})
}

func second[T any](_ T, err error) error { return err }

func TestSecretsAreSealedAtRest(t *testing.T) {
	contract(t, func(t *testing.T, in *instance) {
		db := in.db
		ws := must(db.CreateWorkspace(ctx, "acme"))
		s := saveStore(t, db, ws.ID, "acme.myshopify.com", "shpat_plaintext_token")
		if err := db.SetWebhookSecret(ctx, ws.ID, s.ID, domain.NewSecret("whsec_plaintext")); err != nil {
			t.Fatal(err)
		}
		inst := must(db.CreateInstallation(ctx, inbox.Installation{WorkspaceID: ws.ID, Kind: inbox.Chatwoot, Settings: inbox.Settings{BaseURL: "https://chat.example", APIToken: domain.NewSecret("chatwoot_plaintext")}}))
		b := box(t, testKey)
		for _, c := range []struct {
			query, plain, context string
			arg                   any
		}{
			{`SELECT embed_secret FROM workspaces WHERE id = $1`, ws.EmbedSecret.Reveal(), storage.EmbedSecretContext("acme"), ws.ID},
			{`SELECT access_token FROM stores WHERE id = $1`, "shpat_plaintext_token", storage.AccessTokenContext("acme.myshopify.com", ws.ID), s.ID},
			{`SELECT secret FROM store_webhook_secrets WHERE store_id = $1`, "whsec_plaintext", storage.WebhookSecretContext(s.ID), s.ID},
			{`SELECT settings FROM inbox_installations WHERE id = $1`, "chatwoot_plaintext", storage.InstallationContext(inst.ID), inst.ID},
		} {
			raw := in.raw(t, c.query, c.arg)
			if strings.Contains(raw, c.plain) {
				t.Errorf("%s holds the secret in plain text", c.query)
			}
			if opened, err := b.Open(c.context, raw); err != nil || !strings.Contains(opened, c.plain) {
				t.Errorf("%s does not open under its context: %v", c.query, err)
			}
			if _, err := b.Open(c.context+"x", raw); err == nil {
				t.Errorf("%s opens under another context", c.query)
			}
		}
		if err := in.reopen(bytes.Repeat([]byte{8}, 32)); !errors.Is(err, storage.ErrWrongKey) {
			t.Errorf("opened with another key: %v, want ErrWrongKey", err)
		}
		if err := in.reopen(testKey); err != nil {
			t.Errorf("reopened with its key: %v", err)
		}
	})
}

func TestStoreIDsAreNeverReused(t *testing.T) {
	contract(t, func(t *testing.T, in *instance) {
		db := in.db
		ws := must(db.CreateWorkspace(ctx, "acme"))
		saveStore(t, db, ws.ID, "a.myshopify.com", "t1")
		b := saveStore(t, db, ws.ID, "b.myshopify.com", "t2")
		if err := db.RemoveStore(ctx, ws.ID, b.ID); err != nil {
			t.Fatal(err)
		}
		c := saveStore(t, db, ws.ID, "c.myshopify.com", "t3")
		if c.ID <= b.ID {
			t.Errorf("the store made after removing %d got ID %d", b.ID, c.ID)
		}
		again, created, err := db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: "c.myshopify.com", AccessToken: domain.NewSecret("t4")})
		if err != nil || created || again.ID != c.ID || again.AccessToken.Reveal() != "t4" {
			t.Errorf("saving a connected domain again: %+v created %v, %v", again, created, err)
		}
	})
}

func TestConcurrentReadModifyWriteNeverFails(t *testing.T) {
	contract(t, func(t *testing.T, in *instance) {
		db := in.db
		ws := must(db.CreateWorkspace(ctx, "acme"))
		hash := must(auth.HashPassword("a long enough password"))
		a := must(db.CreateAdmin(ctx, ws.ID, "ada@example.com", hash))
		session := must(db.CreateSession(ctx, a.ID, "hash-1"))
		if err := db.SetNotice(ctx, session, domain.Notice{Message: "Saved."}); err != nil {
			t.Fatal(err)
		}
		const n = 8
		var (
			wg                               sync.WaitGroup
			mu                               sync.Mutex
			created, notices, claims, rotate int
			secrets                          = map[string]bool{}
			errs                             []error
		)
		for i := range n {
			wg.Add(4)
			go func() {
				defer wg.Done()
				_, c, err := db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: "same.myshopify.com", AccessToken: domain.NewSecret("t")})
				mu.Lock()
				defer mu.Unlock()
				errs = append(errs, err)
				if c {
					created++
				}
			}()
			go func() {
				defer wg.Done()
				note, err := db.TakeNotice(ctx, session)
				mu.Lock()
				defer mu.Unlock()
				errs = append(errs, err)
				if note.Message != "" {
					notices++
				}
			}()
			go func() {
				defer wg.Done()
				ok, err := db.ClaimWebhookDelivery(ctx, domain.WebhookClaim{WebhookID: fmt.Sprint("id-", i), ShopDomain: "same.myshopify.com",
					Topic: "customers/update", BodyHash: "one-body", ByBody: true, At: time.Now(), Since: time.Now().Add(-time.Hour)})
				mu.Lock()
				defer mu.Unlock()
				errs = append(errs, err)
				if ok {
					claims++
				}
			}()
			go func() {
				defer wg.Done()
				w, rotated, err := db.RotateEmbedSecretIf(ctx, ws.ID, ws.EmbedSecret, time.Hour)
				mu.Lock()
				defer mu.Unlock()
				errs = append(errs, err)
				if rotated {
					rotate++
				}
				secrets[w.EmbedSecret.Reveal()] = true
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("concurrent writes failed: %v", err)
		}
		if created != 1 || notices != 1 || claims != 1 || rotate != 1 {
			t.Errorf("of %d at once: %d stores created, %d notices taken, %d deliveries claimed, %d rotations; want 1 each", n, created, notices, claims, rotate)
		}
		after := must(db.WorkspaceByID(ctx, ws.ID))
		if len(secrets) != 1 || !secrets[after.EmbedSecret.Reveal()] {
			t.Errorf("the rotations returned %d secrets, not the one that verifies", len(secrets))
		}
		if after.PreviousEmbedSecret.Reveal() != ws.EmbedSecret.Reveal() {
			t.Error("the previous secret kept for the grace period is not the one replaced")
		}
		if got := after.VerifyingSecrets(time.Now()); len(got) != 2 {
			t.Errorf("%d secrets verify during the grace period, want 2", len(got))
		}
	})
}

func TestSessionsNoticesAndOAuthStates(t *testing.T) {
	contract(t, func(t *testing.T, in *instance) {
		db := in.db
		ws := must(db.CreateWorkspace(ctx, "acme"))
		a := must(db.CreateAdmin(ctx, ws.ID, "ada@example.com", "hash"))
		wantErr(t, second(db.CreateAdmin(ctx, ws.ID, "ada@example.com", "hash")), domain.KindConflict,
			fmt.Sprintf("create admin in workspace %d: An admin with the email ada@example.com already exists.", ws.ID))
		id := must(db.CreateSession(ctx, a.ID, "token-hash"))
		s := must(db.SessionByTokenHash(ctx, "token-hash"))
		if s.ID != id || s.Admin.Email != "ada@example.com" || s.Admin.WorkspaceID != ws.ID {
			t.Fatalf("session %+v", s)
		}
		at := time.Now().Add(time.Minute).Truncate(time.Microsecond)
		if err := db.TouchSession(ctx, id, at); err != nil {
			t.Fatal(err)
		}
		if s := must(db.SessionByTokenHash(ctx, "token-hash")); !s.LastSeenAt.Equal(at) {
			t.Errorf("last seen %v, want %v", s.LastSeenAt, at)
		}
		if err := db.SaveOAuthState(ctx, id, "state-hash", "acme.myshopify.com"); err != nil {
			t.Fatal(err)
		}
		wantErr(t, third(db.TakeOAuthState(ctx, id+1, "state-hash")), domain.KindNotFound, fmt.Sprintf("take OAuth state of session %d: The OAuth state was not found.", id+1))
		shop, _, err := db.TakeOAuthState(ctx, id, "state-hash")
		if err != nil || shop != "acme.myshopify.com" {
			t.Fatalf("take state: %q, %v", shop, err)
		}
		wantErr(t, third(db.TakeOAuthState(ctx, id, "state-hash")), domain.KindNotFound, fmt.Sprintf("take OAuth state of session %d: The OAuth state was not found.", id))
		if err := db.SetAdminPassword(ctx, a.ID, "new-hash"); err != nil {
			t.Fatal(err)
		}
		wantErr(t, second(db.SessionByTokenHash(ctx, "token-hash")), domain.KindNotFound, "session by token: The session was not found.")
		wantErr(t, db.SetAdminPassword(ctx, 999, "x"), domain.KindNotFound, "set password of admin 999: The admin was not found.")
	})
}

func third[A, B any](_ A, _ B, err error) error { return err }

func TestWebhookState(t *testing.T) {
	contract(t, func(t *testing.T, in *instance) {
		db := in.db
		ws := must(db.CreateWorkspace(ctx, "acme"))
		other := must(db.CreateWorkspace(ctx, "other"))
		s := saveStore(t, db, ws.ID, "shop.myshopify.com", "t1")
		o := saveStore(t, db, other.ID, "shop.myshopify.com", "t2")
		if err := db.SetWebhookSecret(ctx, ws.ID, s.ID, domain.NewSecret("whsec")); err != nil {
			t.Fatal(err)
		}
		wantErr(t, db.SetWebhookSecret(ctx, ws.ID, o.ID, domain.NewSecret("x")), domain.KindNotFound,
			fmt.Sprintf("set webhook secret: store %d in workspace %d: The store was not found.", o.ID, ws.ID))
		keys := must(db.WebhookKeysForShop(ctx, "shop.myshopify.com"))
		if len(keys) != 1 || keys[0].StoreID != s.ID || keys[0].Secret.Reveal() != "whsec" {
			t.Errorf("keys %v", keys)
		}
		now := time.Now().UTC().Truncate(time.Second)
		if n := must(db.RecordWebhookRefused(ctx, "shop.myshopify.com", now)); n != 2 {
			t.Errorf("refused on %d connections, want 2", n)
		}
		if err := db.RecordWebhookVerified(ctx, []int64{s.ID}, now.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		got := must(db.StoreByID(ctx, ws.ID, s.ID))
		if !got.WebhookVerifiedAt.Equal(now.Add(time.Second)) || !got.WebhookRefusedSince.IsZero() {
			t.Errorf("verified %v refused %v", got.WebhookVerifiedAt, got.WebhookRefusedSince)
		}
		if got := must(db.StoreByID(ctx, other.ID, o.ID)); !got.WebhookRefusedSince.Equal(now) {
			t.Errorf("the other connection's refusal: %v", got.WebhookRefusedSince)
		}
		claim := domain.WebhookClaim{WebhookID: "w1", ShopDomain: "shop.myshopify.com", Topic: "orders/create", BodyHash: "h", ByBody: true, At: now, Since: now.Add(-time.Hour)}
		for i, want := range []bool{true, false} {
			if ok := must(db.ClaimWebhookDelivery(ctx, claim)); ok != want {
				t.Errorf("claim %d: %v, want %v", i, ok, want)
			}
		}
		claim.WebhookID = "w2"
		if must(db.ClaimWebhookDelivery(ctx, claim)) {
			t.Error("the same body under another ID was claimed again")
		}
		claim.ByBody = false
		if !must(db.ClaimWebhookDelivery(ctx, claim)) {
			t.Error("a delivery acted on every time was not claimed")
		}
		if err := db.ReleaseWebhookDelivery(ctx, "w1"); err != nil {
			t.Fatal(err)
		}
		claim.WebhookID, claim.ByBody, claim.BodyHash = "w1", true, "h2"
		if !must(db.ClaimWebhookDelivery(ctx, claim)) {
			t.Error("a released delivery was not claimed again")
		}
		if err := db.RecordWebhookSubscription(ctx, domain.WebhookSubscription{StoreID: s.ID, Topic: "orders/create", URI: "https://x/webhooks", Status: domain.WebhookSubscriptionStatus("active")}); err != nil {
			t.Fatal(err)
		}
		if subs := must(db.WebhookSubscriptions(ctx, s.ID)); len(subs) != 1 || subs[0].Topic != "orders/create" {
			t.Errorf("subscriptions %v", subs)
		}
		if err := db.DisconnectStores(ctx, []int64{o.ID}, "Uninstalled."); err != nil {
			t.Fatal(err)
		}
		if got := must(db.StoreByID(ctx, other.ID, o.ID)); got.Status != domain.StoreDisconnected || !got.AccessToken.IsZero() || got.LastError != "Uninstalled." {
			t.Errorf("disconnected store %+v", got)
		}
		counts := must(db.StoreStatusCounts(ctx))
		if counts[string(domain.StoreDisconnected)] != 1 || counts[string(domain.StoreHealthy)] != 1 {
			t.Errorf("status counts %v", counts)
		}
		if err := db.DeleteStores(ctx, []int64{s.ID, o.ID}); err != nil {
			t.Fatal(err)
		}
		if stores := must(db.StoresByShop(ctx, "shop.myshopify.com")); len(stores) != 0 {
			t.Errorf("stores left: %v", stores)
		}
		claim.WebhookID, claim.BodyHash = "w1", "h"
		if !must(db.ClaimWebhookDelivery(ctx, claim)) {
			t.Error("the deliveries of a shop with no connection left were not forgotten")
		}
	})
}

func TestAPIKeysSwitchesAndInstallations(t *testing.T) {
	contract(t, func(t *testing.T, in *instance) {
		db := in.db
		ws := must(db.CreateWorkspace(ctx, "acme"))
		other := must(db.CreateWorkspace(ctx, "other"))
		wantErr(t, second(db.CreateAPIKey(ctx, ws.ID, strings.Repeat("x", 81), "h", "p")), domain.KindInvalid, "Name the key in 80 characters or fewer.")
		k := must(db.CreateAPIKey(ctx, ws.ID, "  ", "key-hash", "sck_abc"))
		if k.Name != "API key" {
			t.Errorf("unnamed key is %q", k.Name)
		}
		if got := must(db.APIKeyByHash(ctx, "key-hash")); got.ID != k.ID {
			t.Errorf("by hash: %+v", got)
		}
		wantErr(t, second(db.RevokeAPIKey(ctx, other.ID, k.ID)), domain.KindNotFound, fmt.Sprintf("revoke API key %d: The API key was not found.", k.ID))
		if r := must(db.RevokeAPIKey(ctx, ws.ID, k.ID)); r.RevokedAt.IsZero() {
			t.Error("revoked key has no revocation time")
		}
		wantErr(t, second(db.APIKeyByHash(ctx, "key-hash")), domain.KindNotFound, "API key by hash: The API key was not found.")
		if err := db.SetAIToolEnabled(ctx, ws.ID, "search_products", false); err != nil {
			t.Fatal(err)
		}
		if err := db.SetAIToolEnabled(ctx, ws.ID, "search_products", true); err != nil {
			t.Fatal(err)
		}
		if got := must(db.AIToolSettings(ctx, ws.ID)); len(got) != 1 || !got["search_products"] {
			t.Errorf("switches %v", got)
		}
		inst := must(db.CreateInstallation(ctx, inbox.Installation{WorkspaceID: ws.ID, Kind: inbox.Front, Label: "Front", FrameOrigins: []string{"https://a.example"},
			Settings: inbox.Settings{AuthSecret: domain.NewSecret("auth"), APIToken: domain.NewSecret("api")}}))
		got := must(db.InstallationByID(ctx, inst.ID))
		if got.Settings.AuthSecret.Reveal() != "auth" || got.FrameOrigins[0] != "https://a.example" || got.Kind != inbox.Front {
			t.Errorf("installation %+v", got)
		}
		wantErr(t, second(db.WorkspaceInstallation(ctx, other.ID, inst.ID)), domain.KindNotFound, "installation "+inbox.Handle(inst.ID)+": The installation was not found.")
		wantErr(t, db.RemoveInstallation(ctx, other.ID, inst.ID), domain.KindNotFound, "The installation was not found.")
		if err := db.UpdateInstallationSettings(ctx, ws.ID, inst.ID, inbox.Settings{AuthSecret: domain.NewSecret("rotated")}); err != nil {
			t.Fatal(err)
		}
		if got := must(db.InstallationsByWorkspace(ctx, ws.ID)); len(got) != 1 || got[0].Settings.AuthSecret.Reveal() != "rotated" {
			t.Errorf("installations %+v", got)
		}
		if err := db.RemoveInstallation(ctx, ws.ID, inst.ID); err != nil {
			t.Fatal(err)
		}
	})
}

// TestSignInThrottleRules holds both throttles to the rules: five
// failures per account and address, a correct password from a known
// address spared the account-wide limit, and a success that forgets the
// address's failures.
func TestSignInThrottleRules(t *testing.T) {
	contract(t, func(t *testing.T, in *instance) {
		th := in.throttle()
		now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		reserve := func(account, addr string) bool {
			r, wait, ok, err := th.Reserve(ctx, account, addr, now)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				r.Failed(ctx)
			} else if wait <= 0 {
				t.Fatalf("refused without a wait")
			}
			return ok
		}
		for i := range admin.SignInFailuresPerAccountAddress {
			if !reserve("ada@example.com", "192.0.2.1") {
				t.Fatalf("attempt %d refused", i+1)
			}
		}
		if reserve("ada@example.com", "192.0.2.1") {
			t.Fatal("the sixth failure from one address was allowed")
		}
		if !reserve("ada@example.com", "192.0.2.2") {
			t.Fatal("another address was refused for the first one's failures")
		}
		r, _, ok, err := th.Reserve(ctx, "bob@example.com", "192.0.2.3", now)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		r.Abandon(ctx)
		r, _, ok, err = th.Reserve(ctx, "bob@example.com", "192.0.2.3", now)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		r.Succeeded(ctx, now)
		for i := range admin.SignInFailuresPerAccountAddress {
			if !reserve("bob@example.com", "192.0.2.3") {
				t.Fatalf("after a success, attempt %d refused", i+1)
			}
		}
		now = now.Add(admin.SignInWindow + time.Second)
		if !reserve("ada@example.com", "192.0.2.1") {
			t.Error("the window passed and the address is still refused")
		}
	})
}

func TestVerifyAllowance(t *testing.T) {
	contract(t, func(t *testing.T, in *instance) {
		ws := must(in.db.CreateWorkspace(ctx, "acme"))
		inst := must(in.db.CreateInstallation(ctx, inbox.Installation{WorkspaceID: ws.ID, Kind: inbox.Chatwoot}))
		other := must(in.db.CreateInstallation(ctx, inbox.Installation{WorkspaceID: ws.ID, Kind: inbox.Chatwoot}))
		now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		l := in.allowance(func() time.Time { return now })
		allowed := 0
		for range inbox.VerifyBurst + 5 {
			if must(l.Allow(ctx, inst.ID)) {
				allowed++
			}
		}
		if allowed != inbox.VerifyBurst {
			t.Errorf("allowed %d at once, want the burst of %d", allowed, inbox.VerifyBurst)
		}
		if !must(l.Allow(ctx, other.ID)) {
			t.Error("another installation shares the allowance")
		}
		now = now.Add(time.Second)
		if !must(l.Allow(ctx, inst.ID)) || must(l.Allow(ctx, inst.ID)) {
			t.Error("a second did not give back exactly one verification")
		}
	})
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))
