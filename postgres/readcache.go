package postgres

import (
	"context"
	"slices"
	"sync"

	"shopcard/domain"
)

// ReadCache answers the sidebar's hot reads (a workspace by name, a store
// by ID, a workspace's stores) from memory, as sqlite.ReadCache does, and
// drops everything it holds whenever workspaces or stores change, on any
// replica: the database notifies every listener when a transaction that
// changed them commits (a trigger), and this replica's own writes drop it
// at once, before they return. A hit costs no round trip to the database.
//
// While the listener is not listening, a change could go unheard, so
// every read goes to the database; when it listens again the cache starts
// empty. Only rows that exist are kept.
type ReadCache struct {
	db        *DB
	listening func() bool

	mu          sync.Mutex
	generation  uint64 // bumped by every invalidation
	workspaces  map[string]domain.Workspace
	stores      map[[2]int64]domain.Store
	byWorkspace map[int64][]domain.Store
}

// NewReadCache returns a ReadCache over d, trusted only while listening
// reports true, and makes d's own writes invalidate it.
func (d *DB) NewReadCache(listening func() bool) *ReadCache {
	c := &ReadCache{db: d, listening: listening}
	c.Invalidate()
	d.OnChange(c.Invalidate)
	return c
}

// Invalidate drops everything kept. A read that began before it does not
// keep what it read.
func (c *ReadCache) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation++
	c.workspaces = map[string]domain.Workspace{}
	c.stores = map[[2]int64]domain.Store{}
	c.byWorkspace = map[int64][]domain.Store{}
}

// Close does nothing: the cache holds no connection of its own.
func (c *ReadCache) Close() error { return nil }

// current returns the generation a read starts in, and false when the
// cache can't be trusted (not listening).
func (c *ReadCache) current() (uint64, bool) {
	if !c.listening() {
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.generation, true
}

// WorkspaceByName finds a workspace by its name, as DB.WorkspaceByName.
func (c *ReadCache) WorkspaceByName(ctx context.Context, name string) (domain.Workspace, error) {
	gen, ok := c.current()
	if ok {
		c.mu.Lock()
		w, hit := c.workspaces[name]
		hit = hit && c.generation == gen
		c.mu.Unlock()
		if hit {
			return cloneWorkspace(w), nil
		}
	}
	w, err := c.db.WorkspaceByName(ctx, name)
	if err == nil && ok {
		c.mu.Lock()
		if c.generation == gen {
			c.workspaces[name] = cloneWorkspace(w)
		}
		c.mu.Unlock()
	}
	return w, err
}

// StoreByID finds one store within a workspace, as DB.StoreByID.
func (c *ReadCache) StoreByID(ctx context.Context, workspaceID, storeID int64) (domain.Store, error) {
	key := [2]int64{workspaceID, storeID}
	gen, ok := c.current()
	if ok {
		c.mu.Lock()
		s, hit := c.stores[key]
		hit = hit && c.generation == gen
		c.mu.Unlock()
		if hit {
			return cloneStore(s), nil
		}
	}
	s, err := c.db.StoreByID(ctx, workspaceID, storeID)
	if err == nil && ok {
		c.mu.Lock()
		if c.generation == gen {
			c.stores[key] = cloneStore(s)
		}
		c.mu.Unlock()
	}
	return s, err
}

// StoresByWorkspace lists a workspace's stores, as DB.StoresByWorkspace.
func (c *ReadCache) StoresByWorkspace(ctx context.Context, workspaceID int64) ([]domain.Store, error) {
	gen, ok := c.current()
	if ok {
		c.mu.Lock()
		stores, hit := c.byWorkspace[workspaceID]
		hit = hit && c.generation == gen
		c.mu.Unlock()
		if hit {
			return cloneStores(stores), nil
		}
	}
	stores, err := c.db.StoresByWorkspace(ctx, workspaceID)
	if err == nil && ok {
		c.mu.Lock()
		if c.generation == gen {
			c.byWorkspace[workspaceID] = cloneStores(stores)
		}
		c.mu.Unlock()
	}
	return stores, err
}

// The copies keep callers from changing what the cache holds.

func cloneWorkspace(w domain.Workspace) domain.Workspace {
	w.FrameAncestors = slices.Clone(w.FrameAncestors)
	return w
}

func cloneStore(s domain.Store) domain.Store {
	s.Scopes = slices.Clone(s.Scopes)
	return s
}

func cloneStores(stores []domain.Store) []domain.Store {
	out := make([]domain.Store, len(stores))
	for i, s := range stores {
		out[i] = cloneStore(s)
	}
	return out
}
