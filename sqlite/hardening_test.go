package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"shopcard/atrest"
	"shopcard/domain"
)

// TestStoreIDsAreNeverReused: a removed store's ID is never given to the
// next store connected, whether the removed store was the newest or not,
// so nothing cached under the old ID (answers, rendered sections, an
// admin's open confirmation page) can ever stand for another store.
func TestStoreIDsAreNeverReused(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ws, err := db.CreateWorkspace(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	add := func(shop string) domain.Store {
		t.Helper()
		s, _, err := db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: shop, AccessToken: domain.NewSecret("shpat_x")})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	seen := map[int64]string{}
	for i, shop := range []string{"a", "b", "c", "d", "e"} {
		s := add(shop + ".myshopify.com")
		if prev, ok := seen[s.ID]; ok {
			t.Fatalf("round %d: %s got ID %d, which %s had", i, s.Domain, s.ID, prev)
		}
		seen[s.ID] = s.Domain
		// Remove the newest store each time: the ID SQLite reuses.
		if err := db.RemoveStore(ctx, ws.ID, s.ID); err != nil {
			t.Fatal(err)
		}
	}
	// Through shop/redact's path too.
	s := add("f.myshopify.com")
	if err := db.DeleteStores(ctx, []int64{s.ID}); err != nil {
		t.Fatal(err)
	}
	if again := add("g.myshopify.com"); again.ID <= s.ID {
		t.Fatalf("after deleting store %d, the next store got ID %d", s.ID, again.ID)
	}
}

// TestMigrationToUniqueStoreIDsKeepsEverything: rebuilding the stores
// table for AUTOINCREMENT keeps every row, every column (including ones a
// later migration adds), the rows that reference stores and the foreign
// keys that cascade from them.
func TestMigrationToUniqueStoreIDsKeepsEverything(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v3.db")
	box, _ := atrest.New(bytes.Repeat([]byte{7}, atrest.KeySize))
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for v := 1; v <= 3; v++ {
		if _, err := raw.Exec(migrations[v]); err != nil {
			t.Fatal(err)
		}
		raw.Exec(`INSERT INTO schema_migrations VALUES (?, '2026-01-01T00:00:00Z')`, v)
	}
	secret, _ := box.Seal(embedSecretContext("old"), "old-secret")
	hook, _ := box.Seal(webhookSecretContext(2), "whsec")
	var stmts []string
	stmts = append(stmts, `INSERT INTO workspaces (id, name, embed_secret, created_at) VALUES (1, 'old', '`+secret+`', '2026-01-01T00:00:00Z')`)
	for i, shop := range []string{"one", "two", "three"} {
		tok, _ := box.Seal(tokenContext(shop+".myshopify.com", 1), "shpat_"+shop)
		stmts = append(stmts, `INSERT INTO stores (id, workspace_id, domain, access_token, scopes, created_at) VALUES (`+itoa64(int64(i+1))+`, 1, '`+shop+`.myshopify.com', '`+tok+`', 'read_orders', '2026-01-01T00:00:00Z')`)
	}
	stmts = append(stmts,
		`INSERT INTO store_webhook_secrets (store_id, secret, updated_at) VALUES (2, '`+hook+`', '2026-01-01T00:00:00Z')`,
		`INSERT INTO webhook_subscriptions (store_id, topic, uri, status, updated_at) VALUES (2, 'orders/create', 'https://x/webhooks/shopify', 'active', '2026-01-01T00:00:00Z')`,
	)
	for _, q := range stmts {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	db, err := Open(ctx, path, box)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	defer db.Close()
	var create string
	if err := db.db.QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'stores'`).Scan(&create); err != nil || !strings.Contains(create, "AUTOINCREMENT") {
		t.Fatalf("stores after migration: %q, %v", create, err)
	}
	stores, err := db.StoresByWorkspace(ctx, 1)
	if err != nil || len(stores) != 3 || stores[1].AccessToken.Reveal() != "shpat_two" {
		t.Fatalf("stores after migration: %+v, %v", stores, err)
	}
	if has, err := db.HasWebhookSecret(ctx, 2); err != nil || !has {
		t.Fatalf("store 2's webhook secret after migration: %v, %v", has, err)
	}
	// The references still cascade.
	if err := db.RemoveStore(ctx, 1, 2); err != nil {
		t.Fatal(err)
	}
	var left int
	db.db.QueryRow(`SELECT (SELECT COUNT(*) FROM store_webhook_secrets) + (SELECT COUNT(*) FROM webhook_subscriptions)`).Scan(&left)
	if left != 0 {
		t.Errorf("%d rows of a removed store survived: foreign keys no longer cascade", left)
	}
	// And the IDs go on from the highest.
	if err := db.RemoveStore(ctx, 1, 3); err != nil {
		t.Fatal(err)
	}
	s, _, err := db.SaveStore(ctx, domain.Store{WorkspaceID: 1, Domain: "four.myshopify.com", AccessToken: domain.NewSecret("shpat_4")})
	if err != nil || s.ID != 4 {
		t.Fatalf("the next store after removing store 3: ID %d, %v; want 4", s.ID, err)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// TestKeyCheck: a database remembers, sealed, a check value for its key,
// so opening it with another key fails at once with a clear error, before
// any page would fail to open a secret; an empty database takes any key.
func TestKeyCheck(t *testing.T) {
	ctx := context.Background()
	key := func(b byte) *atrest.Box {
		box, _ := atrest.New(bytes.Repeat([]byte{b}, atrest.KeySize))
		return box
	}
	path := filepath.Join(t.TempDir(), "k.db")
	db, err := Open(ctx, path, key(1))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Even with no workspace yet, the key is now this database's.
	_, err = Open(ctx, path, key(2))
	if !errors.Is(err, ErrWrongKey) || !strings.Contains(err.Error(), path) {
		t.Fatalf("opening with another key: %v, want ErrWrongKey naming the database", err)
	}
	db, err = Open(ctx, path, key(1))
	if err != nil {
		t.Fatalf("the right key: %v", err)
	}
	if err := db.Ping(ctx); err != nil {
		t.Errorf("ping with the right key: %v", err)
	}
	db.Close()
}

// TestKeyCheckOnAnOlderDatabase: a database from before key checks, which
// already holds sealed secrets, is checked against them the first time: a
// wrong key is refused, the right one gets its check value.
func TestKeyCheckOnAnOlderDatabase(t *testing.T) {
	ctx := context.Background()
	right, _ := atrest.New(bytes.Repeat([]byte{1}, atrest.KeySize))
	wrong, _ := atrest.New(bytes.Repeat([]byte{2}, atrest.KeySize))
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(ctx, path, right)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateWorkspace(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	// Forget the check value, as a database made before it would lack it.
	if _, err := db.db.Exec(`DELETE FROM key_check`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if held, err := HoldsSecrets(ctx, path); err != nil || !held {
		t.Errorf("HoldsSecrets: %v, %v for a database with a workspace", held, err)
	}
	if _, err := Open(ctx, path, wrong); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("wrong key on an older database: %v, want ErrWrongKey", err)
	}
	db, err = Open(ctx, path, right)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	db.db.QueryRow(`SELECT COUNT(*) FROM key_check`).Scan(&n)
	db.Close()
	if n != 1 {
		t.Errorf("%d check values after opening with the right key, want 1", n)
	}
}

// TestPingChecksSecrets: readiness needs the database to answer and its
// secrets to open.
func TestPingChecksSecrets(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec(`UPDATE key_check SET value = 'v1:AAAA'`); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(ctx); err == nil {
		t.Error("ping passed with a check value the key cannot open")
	}
	db.Close()
	if err := db.Ping(ctx); err == nil {
		t.Error("ping passed on a closed database")
	}
}

// TestDatabaseFilesArePrivate: the database, its write-ahead log and its
// shared-memory file are readable by their owner only, whatever the umask.
func TestDatabaseFilesArePrivate(t *testing.T) {
	ctx := context.Background()
	db, path := openTestDB(t)
	if _, err := db.CreateWorkspace(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(p), mode)
		}
	}
}

// TestConcurrentReadModifyWrite: read-then-write transactions (taking a
// notice, rotating a secret, saving a store) from many goroutines at once
// on two connection pools, as the server and the CLI would, never fail
// with "database is locked", and no rotation is lost: each one's secret
// is the next one's previous secret.
func TestConcurrentReadModifyWrite(t *testing.T) {
	ctx := context.Background()
	db, path := openTestDB(t)
	box, _ := atrest.New(bytes.Repeat([]byte{7}, atrest.KeySize))
	other, err := Open(ctx, path, box)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ws, err := db.CreateWorkspace(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	hash := "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"
	admin, err := db.CreateAdmin(ctx, ws.ID, "ada@example.com", hash)
	if err != nil {
		t.Fatal(err)
	}
	session, err := db.CreateSession(ctx, admin.ID, "h1")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var errs []error
	rotated := map[string]string{} // new secret → the secret it replaced
	var wg sync.WaitGroup
	for i := range 16 {
		d := []*DB{db, other}[i%2]
		wg.Go(func() {
			for j := range 10 {
				var err error
				switch (i + j) % 3 {
				case 0:
					if err = d.SetNotice(ctx, session, domain.Notice{Message: "saved"}); err == nil {
						_, err = d.TakeNotice(ctx, session)
					}
				case 1:
					var w domain.Workspace
					if w, err = d.RotateEmbedSecret(ctx, ws.ID, time.Hour); err == nil {
						mu.Lock()
						rotated[w.EmbedSecret.Reveal()] = w.PreviousEmbedSecret.Reveal()
						mu.Unlock()
					}
				case 2:
					_, _, err = d.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: "acme.myshopify.com", AccessToken: domain.NewSecret("shpat_x")})
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		t.Error(err)
	}
	// Follow the chain of rotations back from the current secret: every
	// rotation must be on it, none overwritten by a simultaneous one.
	final, err := db.WorkspaceByID(ctx, ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	n, s := 0, final.EmbedSecret.Reveal()
	for {
		prev, ok := rotated[s]
		if !ok {
			break
		}
		n++
		s = prev
	}
	if s != ws.EmbedSecret.Reveal() || n != len(rotated) {
		t.Errorf("%d of %d rotations are on the chain back to the first secret: some were lost", n, len(rotated))
	}
}
