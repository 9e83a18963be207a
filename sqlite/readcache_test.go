package sqlite

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"shopcard/atrest"
	"shopcard/domain"
)

// readCacheEnv is a server's database with a ReadCache, and a second
// connection pool on the same file standing in for the CLI in another
// process.
type readCacheEnv struct {
	db, cli *DB
	cache   *ReadCache
	ws      domain.Workspace
	store   domain.Store
}

func newReadCacheEnv(t *testing.T) readCacheEnv {
	t.Helper()
	ctx := context.Background()
	db, path := openTestDB(t)
	box, err := atrest.New(bytes.Repeat([]byte{7}, atrest.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	cli, err := Open(ctx, path, box)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	cache, err := db.NewReadCache(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cache.Close() })
	ws, err := db.CreateWorkspace(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	store, _, err := db.SaveStore(ctx, domain.Store{WorkspaceID: ws.ID, Domain: "acme.myshopify.com", AccessToken: domain.NewSecret("shpat_one"), Scopes: []string{"read_orders"}})
	if err != nil {
		t.Fatal(err)
	}
	return readCacheEnv{db: db, cli: cli, cache: cache, ws: ws, store: store}
}

// warm reads everything through the cache, so the next reads are hits
// unless something changed.
func (e readCacheEnv) warm(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.cache.WorkspaceByName(ctx, e.ws.Name); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cache.StoreByID(ctx, e.ws.ID, e.store.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cache.StoresByWorkspace(ctx, e.ws.ID); err != nil {
		t.Fatal(err)
	}
}

// Every change, whichever connection or process makes it, shows on the
// very next read.
func TestReadCacheSeesEveryChangeAtOnce(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		change func(t *testing.T, e readCacheEnv, by *DB)
		check  func(t *testing.T, e readCacheEnv)
	}{
		{"store disconnected", func(t *testing.T, e readCacheEnv, by *DB) {
			if err := by.RemoveStore(ctx, e.ws.ID, e.store.ID); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, e readCacheEnv) {
			if _, err := e.cache.StoreByID(ctx, e.ws.ID, e.store.ID); domain.KindOf(err) != domain.KindNotFound {
				t.Errorf("a disconnected store still loads: %v", err)
			}
			if stores, _ := e.cache.StoresByWorkspace(ctx, e.ws.ID); len(stores) != 0 {
				t.Errorf("a disconnected store is still listed: %+v", stores)
			}
		}},
		{"token replaced", func(t *testing.T, e readCacheEnv, by *DB) {
			s := e.store
			s.AccessToken, s.Scopes = domain.NewSecret("shpat_two"), []string{"read_orders", "read_all_orders"}
			if _, _, err := by.SaveStore(ctx, s); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, e readCacheEnv) {
			s, err := e.cache.StoreByID(ctx, e.ws.ID, e.store.ID)
			if err != nil || s.AccessToken.Reveal() != "shpat_two" || len(s.Scopes) != 2 {
				t.Errorf("the old token or scopes are still served: %v %v %v", err, s.AccessToken.Reveal(), s.Scopes)
			}
		}},
		{"embed secret rotated", func(t *testing.T, e readCacheEnv, by *DB) {
			if _, err := by.RotateEmbedSecret(ctx, e.ws.ID, 0); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, e readCacheEnv) {
			w, err := e.cache.WorkspaceByName(ctx, e.ws.Name)
			if err != nil || w.EmbedSecret.Reveal() == e.ws.EmbedSecret.Reveal() {
				t.Errorf("the rotated-out secret is still served (%v)", err)
			}
			if len(w.VerifyingSecrets(time.Now())) != 1 {
				t.Error("a rotation without grace still verifies the old secret")
			}
		}},
		{"frame ancestors changed", func(t *testing.T, e readCacheEnv, by *DB) {
			if err := by.UpdateWorkspaceSettings(ctx, e.ws.ID, []string{"https://inbox.example.com"}, 0); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, e readCacheEnv) {
			w, err := e.cache.WorkspaceByName(ctx, e.ws.Name)
			if err != nil || len(w.FrameAncestors) != 1 || w.FrameAncestors[0] != "https://inbox.example.com" {
				t.Errorf("frame ancestors %v (%v)", w.FrameAncestors, err)
			}
		}},
		{"health recorded", func(t *testing.T, e readCacheEnv, by *DB) {
			if err := by.RecordStoreResult(ctx, e.store.ID, domain.StoreNeedsReconnect, "revoked", time.Now()); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, e readCacheEnv) {
			if s, _ := e.cache.StoreByID(ctx, e.ws.ID, e.store.ID); s.Status != domain.StoreNeedsReconnect {
				t.Errorf("status %q", s.Status)
			}
		}},
	}
	for _, tt := range tests {
		for _, by := range []string{"this process", "another process"} {
			t.Run(tt.name+" by "+by, func(t *testing.T) {
				e := newReadCacheEnv(t)
				e.warm(t)
				writer := e.db
				if by == "another process" {
					writer = e.cli
				}
				tt.change(t, e, writer)
				tt.check(t, e)
			})
		}
	}
}

// An in-memory database has a single connection, which the cache must not
// hold; it reads through instead.
func TestReadCacheInMemoryReadsThrough(t *testing.T) {
	ctx := context.Background()
	box, _ := atrest.New(bytes.Repeat([]byte{7}, atrest.KeySize))
	db, err := Open(ctx, ":memory:", box)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cache, err := db.NewReadCache(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer cache.Close()
	ws, err := db.CreateWorkspace(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cache.WorkspaceByName(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	rotated, err := db.RotateEmbedSecret(ctx, ws.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if w, _ := cache.WorkspaceByName(ctx, "acme"); w.EmbedSecret.Reveal() != rotated.EmbedSecret.Reveal() {
		t.Error("stale workspace from an in-memory database")
	}
}

// Within one request's scope the version is checked once: a change
// committed mid-request shows from the next request on.
func TestReadScopeChecksOnce(t *testing.T) {
	ctx := context.Background()
	e := newReadCacheEnv(t)
	e.warm(t)
	req := WithReadScope(ctx)
	if _, err := e.cache.StoreByID(req, e.ws.ID, e.store.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.cli.RemoveStore(ctx, e.ws.ID, e.store.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cache.StoreByID(req, e.ws.ID, e.store.ID); err != nil {
		t.Errorf("the request's own view changed mid-request: %v", err)
	}
	if _, err := e.cache.StoreByID(WithReadScope(ctx), e.ws.ID, e.store.ID); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("the next request still sees the removed store: %v", err)
	}
	if _, err := e.cache.StoreByID(ctx, e.ws.ID, e.store.ID); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("a read without a scope still sees the removed store: %v", err)
	}
}

// Reads that share version checks still see every commit that finished
// before they began.
func TestConcurrentReadsSeeEarlierCommits(t *testing.T) {
	ctx := context.Background()
	e := newReadCacheEnv(t)
	e.warm(t)
	var removed atomic.Bool
	var violations, reads atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				after := removed.Load()
				_, err := e.cache.StoreByID(WithReadScope(ctx), e.ws.ID, e.store.ID)
				reads.Add(1)
				if after && err == nil {
					violations.Add(1)
				}
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	if err := e.cli.RemoveStore(ctx, e.ws.ID, e.store.ID); err != nil {
		t.Fatal(err)
	}
	removed.Store(true)
	time.Sleep(50 * time.Millisecond)
	close(stop)
	wg.Wait()
	if n := violations.Load(); n > 0 {
		t.Errorf("%d of %d reads begun after the store was removed still found it", n, reads.Load())
	}
}
