package apptest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"shopcard/atrest"
	"shopcard/sqlite"
)

// A migrated, empty SQLite database, made once per test process and copied
// for each application: migrating a new file runs every migration's SQL
// through SQLite's parser, about a second per application when SQLite
// itself is instrumented by the race detector (plain go test -race). A
// copy is the file sqlite.Open would leave after migrating (schema at the
// latest version, the key check sealed with testKey), so opening it
// migrates nothing. The migrations themselves are
// tested in package sqlite and by every CLI test that opens a new file.
var template struct {
	once  sync.Once
	bytes []byte
	err   error
}

func migratedTemplate() ([]byte, error) {
	template.once.Do(func() {
		template.bytes, template.err = makeTemplate()
	})
	return template.bytes, template.err
}

func makeTemplate() ([]byte, error) {
	dir, err := os.MkdirTemp("", "shopcard-apptest-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	key, _, err := atrest.LoadKey(testKey, "")
	if err != nil {
		return nil, err
	}
	box, err := atrest.New(key)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "template.db")
	db, err := sqlite.Open(context.Background(), path, box)
	if err != nil {
		return nil, fmt.Errorf("template database: %w", err)
	}
	// Closing the last connection checkpoints the write-ahead log into the
	// file and removes it, so the file alone is the whole database.
	if err := db.Close(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		return nil, fmt.Errorf("template database: the write-ahead log outlived the last connection")
	}
	return os.ReadFile(path)
}

// copyTemplate writes the migrated template to path, which must not exist.
func copyTemplate(path string) error {
	b, err := migratedTemplate()
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
