package postgres

import (
	"context"

	"shopcard/domain"
	"shopcard/storage"
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
	memo      *storage.ReadMemo
}

// NewReadCache returns a ReadCache over d, trusted only while listening
// reports true, and makes d's own writes invalidate it.
func (d *DB) NewReadCache(listening func() bool) *ReadCache {
	c := &ReadCache{db: d, listening: listening, memo: storage.NewReadMemo()}
	d.OnChange(c.Invalidate)
	return c
}

// Invalidate drops everything kept. A read that began before it does not
// keep what it read.
func (c *ReadCache) Invalidate() { c.memo.Reset() }

// Close does nothing: the cache holds no connection of its own.
func (c *ReadCache) Close() error { return nil }

// current returns the generation a read starts in, untrusted while not
// listening.
func (c *ReadCache) current() storage.Generation {
	if !c.listening() {
		return storage.Generation{}
	}
	return storage.Generation{N: c.memo.Generation(), Trusted: true}
}

// WorkspaceByName finds a workspace by its name, as DB.WorkspaceByName.
func (c *ReadCache) WorkspaceByName(ctx context.Context, name string) (domain.Workspace, error) {
	return c.memo.WorkspaceByName(ctx, c.current(), c.db, name)
}

// StoreByID finds one store within a workspace, as DB.StoreByID.
func (c *ReadCache) StoreByID(ctx context.Context, workspaceID, storeID int64) (domain.Store, error) {
	return c.memo.StoreByID(ctx, c.current(), c.db, workspaceID, storeID)
}

// StoresByWorkspace lists a workspace's stores, as DB.StoresByWorkspace.
func (c *ReadCache) StoresByWorkspace(ctx context.Context, workspaceID int64) ([]domain.Store, error) {
	return c.memo.StoresByWorkspace(ctx, c.current(), c.db, workspaceID)
}
