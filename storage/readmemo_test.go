package storage

import (
	"context"
	"testing"

	"shopcard/domain"
)

// countingReads is a database of one workspace with one store, counting
// the reads that reach it; during runs inside a read, as a commit landing
// while the read is in flight would.
type countingReads struct {
	reads  int
	during func()
}

func (r *countingReads) read() {
	r.reads++
	if r.during != nil {
		r.during()
	}
}

func (r *countingReads) WorkspaceByName(_ context.Context, name string) (domain.Workspace, error) {
	r.read()
	if name != "acme" {
		return domain.Workspace{}, domain.Errorf(domain.KindNotFound, "no workspace %q", name)
	}
	return domain.Workspace{ID: 1, Name: "acme", FrameAncestors: []string{"https://a.example"}}, nil
}

func (r *countingReads) StoreByID(_ context.Context, workspaceID, storeID int64) (domain.Store, error) {
	r.read()
	if workspaceID != 1 || storeID != 7 {
		return domain.Store{}, domain.Errorf(domain.KindNotFound, "no store %d", storeID)
	}
	return domain.Store{ID: 7, WorkspaceID: 1, Scopes: []string{"read_orders"}}, nil
}

func (r *countingReads) StoresByWorkspace(_ context.Context, workspaceID int64) ([]domain.Store, error) {
	r.read()
	return []domain.Store{{ID: 7, WorkspaceID: 1, Scopes: []string{"read_orders"}}}, nil
}

func TestReadMemo(t *testing.T) {
	ctx := context.Background()
	// each reads through the memo and says what it read.
	each := []struct {
		name string
		read func(m *ReadMemo, g Generation, db HotReads) (string, error)
	}{
		{"workspace", func(m *ReadMemo, g Generation, db HotReads) (string, error) {
			w, err := m.WorkspaceByName(ctx, g, db, "acme")
			return w.Name, err
		}},
		{"store", func(m *ReadMemo, g Generation, db HotReads) (string, error) {
			s, err := m.StoreByID(ctx, g, db, 1, 7)
			return s.Scopes[0], err
		}},
		{"stores", func(m *ReadMemo, g Generation, db HotReads) (string, error) {
			list, err := m.StoresByWorkspace(ctx, g, db, 1)
			return list[0].Scopes[0], err
		}},
	}
	cases := []struct {
		name      string
		trusted   bool
		resetMid  bool // a new generation starts during the first read
		wantReads int  // of three reads in a row
	}{
		{name: "kept within a generation", trusted: true, wantReads: 1},
		{name: "not used when untrusted", trusted: false, wantReads: 3},
		// The first read's answer is of the old generation: not kept for the
		// new one, which reads once and then keeps its own.
		{name: "a read across a reset keeps nothing", trusted: true, resetMid: true, wantReads: 2},
	}
	for _, r := range each {
		for _, tt := range cases {
			t.Run(r.name+"/"+tt.name, func(t *testing.T) {
				m := NewReadMemo()
				db := &countingReads{}
				if tt.resetMid {
					db.during = func() { m.Reset(); db.during = nil }
				}
				for range 3 {
					g := Generation{N: m.Generation(), Trusted: tt.trusted}
					if _, err := r.read(m, g, db); err != nil {
						t.Fatal(err)
					}
				}
				if db.reads != tt.wantReads {
					t.Errorf("%d reads reached the database, want %d", db.reads, tt.wantReads)
				}
			})
		}
	}
}

func TestReadMemoKeepsCopiesAndOnlyRowsThatExist(t *testing.T) {
	ctx := context.Background()
	m := NewReadMemo()
	db := &countingReads{}
	g := Generation{N: m.Generation(), Trusted: true}

	// Callers get copies: changing one changes nothing kept.
	w, _ := m.WorkspaceByName(ctx, g, db, "acme")
	w.FrameAncestors[0] = "https://evil.example"
	s, _ := m.StoreByID(ctx, g, db, 1, 7)
	s.Scopes[0] = "write_everything"
	list, _ := m.StoresByWorkspace(ctx, g, db, 1)
	list[0].Scopes[0] = "write_everything"
	w, _ = m.WorkspaceByName(ctx, g, db, "acme")
	s, _ = m.StoreByID(ctx, g, db, 1, 7)
	list, _ = m.StoresByWorkspace(ctx, g, db, 1)
	if w.FrameAncestors[0] != "https://a.example" || s.Scopes[0] != "read_orders" || list[0].Scopes[0] != "read_orders" {
		t.Errorf("a caller changed the memo: %v %v %v", w.FrameAncestors, s.Scopes, list[0].Scopes)
	}
	if db.reads != 3 {
		t.Errorf("%d reads reached the database, want 3 (one per kind)", db.reads)
	}

	// Unknown names and other workspaces' stores are not kept: each
	// miss asks the database again.
	for range 2 {
		if _, err := m.WorkspaceByName(ctx, g, db, "ghost"); domain.KindOf(err) != domain.KindNotFound {
			t.Errorf("unknown workspace: %v", err)
		}
		if _, err := m.StoreByID(ctx, g, db, 2, 7); domain.KindOf(err) != domain.KindNotFound {
			t.Errorf("another workspace's store: %v", err)
		}
	}
	if db.reads != 7 {
		t.Errorf("%d reads reached the database, want 7 (misses are never kept)", db.reads)
	}
}
