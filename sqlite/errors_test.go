package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
)

// TestErrorsNameTheirOperation: wrapping a domain error with the operation
// and its key changes neither its kind nor the message people see, and
// never lets sql.ErrNoRows out, so callers only ever ask domain.KindOf.
func TestErrorsNameTheirOperation(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ws, err := db.CreateWorkspace(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	store, _, err := db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: "one.myshopify.com", AccessToken: domain.NewSecret("shpat_one")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateAdmin(ctx, ws.ID, "ada@example.com", "$argon2id$hash"); err != nil {
		t.Fatal(err)
	}
	const missing = 999

	tests := []struct {
		name    string
		call    func() error
		kind    domain.Kind
		message string // what people see, exactly as before wrapping
		context string // what the error's text says about the operation
	}{
		{"store by ID", func() error { _, err := db.StoreByID(ctx, ws.ID, missing); return err },
			domain.KindNotFound, "The store was not found.", "store 999 in workspace 1: "},
		{"store of another workspace", func() error { _, err := db.StoreByID(ctx, ws.ID+1, store.ID); return err },
			domain.KindNotFound, "The store was not found.", "store 1 in workspace 2: "},
		{"store by domain", func() error { _, err := db.StoreByDomain(ctx, ws.ID, "two.myshopify.com"); return err },
			domain.KindNotFound, "Store two.myshopify.com was not found.", "store two.myshopify.com in workspace 1: "},
		{"remove store", func() error { return db.RemoveStore(ctx, ws.ID, missing) },
			domain.KindNotFound, "The store was not found.", "remove store 999 from workspace 1: "},
		{"save store tokens", func() error {
			return db.SaveStoreTokens(ctx, domain.Store{ID: missing, WorkspaceID: ws.ID, Domain: "one.myshopify.com"})
		}, domain.KindNotFound, "The store was not found.", "save tokens of store 999 (one.myshopify.com) in workspace 1: "},
		{"update store access", func() error { return db.UpdateStoreAccess(ctx, ws.ID, missing, "x", nil) },
			domain.KindNotFound, "The store was not found.", "update access of store 999 in workspace 1: "},
		{"webhook secret of a missing store", func() error { return db.SetWebhookSecret(ctx, ws.ID, missing, domain.NewSecret("whsec")) },
			domain.KindNotFound, "The store was not found.", "set webhook secret: store 999 in workspace 1: "},
		{"workspace by name", func() error { _, err := db.WorkspaceByName(ctx, "ghost"); return err },
			domain.KindNotFound, `Workspace "ghost" was not found.`, `workspace "ghost": `},
		{"workspace by ID", func() error { _, err := db.WorkspaceByID(ctx, missing); return err },
			domain.KindNotFound, "The workspace was not found.", "workspace 999: "},
		{"rotate a missing workspace's secret", func() error { _, err := db.RotateEmbedSecret(ctx, missing, 0); return err },
			domain.KindNotFound, "The workspace was not found.", "rotate embed secret: workspace 999: "},
		{"workspace settings", func() error { return db.UpdateWorkspaceSettings(ctx, missing, nil, 0) },
			domain.KindNotFound, "The workspace was not found.", "update settings of workspace 999: "},
		{"duplicate workspace", func() error { _, err := db.CreateWorkspace(ctx, "acme"); return err },
			domain.KindConflict, `A workspace named "acme" already exists.`, `create workspace "acme": `},
		{"invalid workspace name", func() error { _, err := db.CreateWorkspace(ctx, "Acme"); return err },
			domain.KindInvalid, `Workspace names use lowercase letters, digits and hyphens (up to 63), starting with a letter or digit; "Acme" does not.`, "create workspace: "},
		{"duplicate admin", func() error { _, err := db.CreateAdmin(ctx, ws.ID, "ada@example.com", "$argon2id$other"); return err },
			domain.KindConflict, "An admin with the email ada@example.com already exists.", "create admin in workspace 1: "},
		{"admin by email", func() error { _, err := db.AdminByEmail(ctx, "nobody@example.com"); return err },
			domain.KindNotFound, "The admin was not found.", "admin by email: "},
		{"password of a missing admin", func() error { return db.SetAdminPassword(ctx, missing, "$argon2id$new") },
			domain.KindNotFound, "The admin was not found.", "set password of admin 999: "},
		{"session by token", func() error { _, err := db.SessionByTokenHash(ctx, "hash-of-nothing"); return err },
			domain.KindNotFound, "The session was not found.", "session by token: "},
		{"OAuth state", func() error { _, _, err := db.TakeOAuthState(ctx, missing, "state-hash"); return err },
			domain.KindNotFound, "The OAuth state was not found.", "take OAuth state of session 999: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil {
				t.Fatal("no error")
			}
			if got := domain.KindOf(err); got != tt.kind {
				t.Errorf("kind %v, want %v (%v)", got, tt.kind, err)
			}
			if got := domain.MessageOf(err); got != tt.message {
				t.Errorf("message %q, want %q", got, tt.message)
			}
			if want := tt.context + tt.message; err.Error() != want {
				t.Errorf("error text %q, want %q", err.Error(), want)
			}
			if errors.Is(err, sql.ErrNoRows) {
				t.Error("sql.ErrNoRows escapes the package")
			}
		})
	}
}

// TestStorageFailuresNameTheirKey: an unexpected failure stays internal
// (no safe message to show) but says which operation on what failed, and
// leaves secrets, session token hashes and admins' emails out.
func TestStorageFailuresNameTheirKey(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ws, err := db.CreateWorkspace(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	db.Close() // every statement from here on fails

	tests := []struct {
		name    string
		call    func() error
		context string
		secrets []string // must not appear in the error's text
	}{
		{"store by ID", func() error { _, err := db.StoreByID(ctx, ws.ID, 7); return err }, "store 7 in workspace 1: ", nil},
		{"save store", func() error {
			_, _, err := db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: "one.myshopify.com", AccessToken: domain.NewSecret("shpat_secret")})
			return err
		}, "save store one.myshopify.com in workspace 1: begin: ", []string{"shpat_secret"}},
		{"record store result", func() error { return db.RecordStoreResult(ctx, 7, domain.StoreHealthy, "", time.Now()) }, "record healthy result of store 7: ", nil},
		{"stores of a workspace", func() error { _, err := db.StoresByWorkspace(ctx, ws.ID); return err }, "stores of workspace 1: query: ", nil},
		{"stores of a shop", func() error { _, err := db.StoresByShop(ctx, "one.myshopify.com"); return err }, "stores of shop one.myshopify.com: query: ", nil},
		{"workspaces", func() error { _, err := db.Workspaces(ctx); return err }, "list workspaces: ", nil},
		{"admin by email", func() error { _, err := db.AdminByEmail(ctx, "ada@example.com"); return err }, "admin by email: ", []string{"ada@example.com"}},
		{"session by token", func() error { _, err := db.SessionByTokenHash(ctx, "secret-token-hash"); return err }, "session by token: ", []string{"secret-token-hash"}},
		{"touch session", func() error { return db.TouchSession(ctx, 3, time.Now()) }, "touch session 3: ", nil},
		{"take notice", func() error { _, err := db.TakeNotice(ctx, 3); return err }, "take notice of session 3: begin: ", nil},
		{"webhook keys", func() error { _, err := db.WebhookKeysForShop(ctx, "one.myshopify.com"); return err }, "webhook keys of shop one.myshopify.com: ", nil},
		{"claim webhook delivery", func() error {
			_, err := db.ClaimWebhookDelivery(ctx, domain.WebhookClaim{WebhookID: "delivery-1"})
			return err
		}, `claim webhook delivery "delivery-1": begin: `, nil},
		{"disconnect stores", func() error { return db.DisconnectStores(ctx, []int64{7}, "Uninstalled.") }, "disconnect stores: store 7: ", nil},
		{"status counts", func() error { _, err := db.StoreStatusCounts(ctx); return err }, "count stores by status: ", nil},
		{"ping", func() error { return db.Ping(ctx) }, "ping database: ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil {
				t.Fatal("no error from a closed database")
			}
			if domain.KindOf(err) != domain.KindInternal || domain.MessageOf(err) != "" {
				t.Errorf("kind %v, message %q; want an internal error with nothing to show", domain.KindOf(err), domain.MessageOf(err))
			}
			if !strings.HasPrefix(err.Error(), tt.context) {
				t.Errorf("error text %q, want it to start with %q", err.Error(), tt.context)
			}
			for _, s := range tt.secrets {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error text %q contains %q", err.Error(), s)
				}
			}
		})
	}
}
