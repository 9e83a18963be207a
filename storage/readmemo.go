package storage

import (
	"context"
	"slices"
	"sync"

	"shopcard/domain"
)

// HotReads are the sidebar's reads on every request: a workspace by name,
// a store by ID, a workspace's stores.
type HotReads interface {
	WorkspaceByName(ctx context.Context, name string) (domain.Workspace, error)
	StoreByID(ctx context.Context, workspaceID, storeID int64) (domain.Store, error)
	StoresByWorkspace(ctx context.Context, workspaceID int64) ([]domain.Store, error)
}

// ReadMemo keeps the answers of HotReads for one generation of the
// database. Each engine's read cache decides when a generation ends
// (SQLite when PRAGMA data_version moves, PostgreSQL when its listener
// hears a change) and calls Reset; the memo guarantees that a read which
// began in one generation never keeps what it read in the next. Only rows
// that exist are kept, so names from unverified tokens cannot grow it, and
// callers get copies, so they cannot change what it holds.
type ReadMemo struct {
	mu          sync.Mutex
	generation  uint64
	workspaces  map[string]domain.Workspace
	stores      map[[2]int64]domain.Store
	byWorkspace map[int64][]domain.Store
}

// NewReadMemo returns an empty memo.
func NewReadMemo() *ReadMemo {
	m := &ReadMemo{}
	m.Reset()
	return m
}

// Reset drops everything kept and starts a new generation, which it
// returns.
func (m *ReadMemo) Reset() uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.generation++
	m.workspaces = map[string]domain.Workspace{}
	m.stores = map[[2]int64]domain.Store{}
	m.byWorkspace = map[int64][]domain.Store{}
	return m.generation
}

// Generation is the current generation.
func (m *ReadMemo) Generation() uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.generation
}

// A Generation says which generation a read starts in; trusted false
// means the memo may not be used (the engine cannot tell whether the
// database changed), and the read goes to the database alone.
type Generation struct {
	N       uint64
	Trusted bool
}

// WorkspaceByName answers from the memo in generation g, or from db.
func (m *ReadMemo) WorkspaceByName(ctx context.Context, g Generation, db HotReads, name string) (domain.Workspace, error) {
	return memoized(m, g, func(m *ReadMemo) map[string]domain.Workspace { return m.workspaces }, name, cloneWorkspace,
		func() (domain.Workspace, error) { return db.WorkspaceByName(ctx, name) })
}

// StoreByID answers from the memo in generation g, or from db.
func (m *ReadMemo) StoreByID(ctx context.Context, g Generation, db HotReads, workspaceID, storeID int64) (domain.Store, error) {
	return memoized(m, g, func(m *ReadMemo) map[[2]int64]domain.Store { return m.stores }, [2]int64{workspaceID, storeID}, cloneStore,
		func() (domain.Store, error) { return db.StoreByID(ctx, workspaceID, storeID) })
}

// StoresByWorkspace answers from the memo in generation g, or from db.
func (m *ReadMemo) StoresByWorkspace(ctx context.Context, g Generation, db HotReads, workspaceID int64) ([]domain.Store, error) {
	return memoized(m, g, func(m *ReadMemo) map[int64][]domain.Store { return m.byWorkspace }, workspaceID, cloneStores,
		func() ([]domain.Store, error) { return db.StoresByWorkspace(ctx, workspaceID) })
}

// memoized answers key from the table of generation g when it is there,
// and otherwise reads it and keeps it, unless the generation has ended
// meanwhile.
func memoized[K comparable, V any](m *ReadMemo, g Generation, table func(*ReadMemo) map[K]V, key K, clone func(V) V, read func() (V, error)) (V, error) {
	if g.Trusted {
		m.mu.Lock()
		v, hit := table(m)[key]
		hit = hit && m.generation == g.N
		m.mu.Unlock()
		if hit {
			return clone(v), nil
		}
	}
	v, err := read()
	if err == nil && g.Trusted {
		m.mu.Lock()
		if m.generation == g.N {
			table(m)[key] = clone(v)
		}
		m.mu.Unlock()
	}
	return v, err
}

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
