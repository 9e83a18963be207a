package postgres_test

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"

	"shopcard/atrest"
	"shopcard/internal/pgtest"
	"shopcard/postgres"
)

func testBox(t *testing.T) *atrest.Box {
	t.Helper()
	b, err := atrest.New(bytes.Repeat([]byte{5}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOpenSaysWhatIsWrongWithoutThePassword: a URL that doesn't parse, a
// server that isn't there and a database that doesn't exist each stop
// Open with what to check, and the password never appears.
func TestOpenSaysWhatIsWrongWithoutThePassword(t *testing.T) {
	t.Parallel()
	server := pgtest.ServerURL(t)
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/no_such_database_here"
	missingDB := u.String()
	tests := []struct {
		name, url, want string
	}{
		{"not a URL", "postgres://user:sekrit-pw@[::1", "is not a PostgreSQL connection URL"},
		{"nobody listening", "postgres://user:sekrit-pw@127.0.0.1:1/shopcard?connect_timeout=2", "check SHOPCARD_DATABASE_URL and that the server is running"},
		{"no such database", missingDB, "the database does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := postgres.Open(context.Background(), tt.url, testBox(t), postgres.Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open: %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "sekrit-pw") {
				t.Errorf("the error prints the password: %v", err)
			}
		})
	}
	if got := postgres.Redact("postgres://u:sekrit-pw@h:5432/db?password=other-pw&sslmode=require"); strings.Contains(got, "sekrit-pw") || strings.Contains(got, "other-pw") {
		t.Errorf("Redact kept a password: %s", got)
	}
}

// TestANewerSchemaIsUsedOnlyWhenItSaysSo: a database migrated by a newer
// shopcard opens while that version says this one can run on it
// (schema_compat), and is refused, saying what to do, once it doesn't.
func TestANewerSchemaIsUsedOnlyWhenItSaysSo(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.NewDatabase(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, dbURL, testBox(t), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	newer := postgres.SchemaVersion() + 1
	if _, err := db.Pool().Exec(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)`, newer); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, tt := range []struct {
		readableFrom int64
		ok           bool
	}{{postgres.SchemaVersion(), true}, {newer, false}} {
		pool, err := postgres.Open(ctx, dbURL, testBox(t), postgres.Options{})
		if err == nil {
			_, err = pool.Pool().Exec(ctx, `UPDATE schema_compat SET readable_from = $1`, tt.readableFrom)
			pool.Close()
		}
		if err != nil && tt.ok {
			t.Fatal(err)
		}
		again, err := postgres.Open(ctx, dbURL, testBox(t), postgres.Options{})
		if tt.ok {
			if err != nil {
				t.Errorf("readable from %d: %v", tt.readableFrom, err)
			} else {
				again.Close()
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "upgrade this replica") {
			t.Errorf("readable from %d, a newer version than this: %v", tt.readableFrom, err)
		}
	}
}
