package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"shopcard/config"
	"shopcard/internal/app"
	"shopcard/logging"
)

// open builds the application on a database in dir with the given
// settings, logging into logs.
func open(t *testing.T, vars map[string]string, logs *bytes.Buffer) (*app.App, error) {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return vars[k] }, "")
	if err != nil {
		t.Fatal(err)
	}
	if logs == nil {
		logs = &bytes.Buffer{}
	}
	a, err := app.New(context.Background(), cfg, app.Options{Logger: logging.New(logs, "debug", "text")})
	if err == nil {
		t.Cleanup(a.Close)
	}
	return a, err
}

func key(b byte) string { return hex.EncodeToString(bytes.Repeat([]byte{b}, 32)) }

// TestWrongSecretsStopStartup: the server refuses to start, saying what to
// do, when it could not open the secrets its database holds, instead of
// starting and failing every page.
func TestWrongSecretsStopStartup(t *testing.T) {
	tests := []struct {
		name string
		// first opens the database and leaves something in it; then
		// second must fail saying want.
		first, second map[string]string
		seed          bool
		breakIt       func(t *testing.T, dir string)
		want          []string
	}{
		{
			name:   "a wrong SHOPCARD_SECRET_KEY",
			first:  map[string]string{"SHOPCARD_SECRET_KEY": key(1)},
			second: map[string]string{"SHOPCARD_SECRET_KEY": key(2)},
			seed:   true,
			want:   []string{"SHOPCARD_SECRET_KEY is not the key this database was made with"},
		},
		{
			name:   "a wrong SHOPCARD_SECRET_KEY on a database with no workspace yet",
			first:  map[string]string{"SHOPCARD_SECRET_KEY": key(1)},
			second: map[string]string{"SHOPCARD_SECRET_KEY": key(2)},
			want:   []string{"SHOPCARD_SECRET_KEY is not the key this database was made with"},
		},
		{
			name:    "a missing key file",
			first:   map[string]string{},
			second:  map[string]string{},
			seed:    true,
			breakIt: func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "shopcard.db.key")) },
			want:    []string{"key file " + "DIR/shopcard.db.key is missing", "Restore the key file"},
		},
		{
			name:   "a key file swapped for another",
			first:  map[string]string{},
			second: map[string]string{},
			seed:   true,
			breakIt: func(t *testing.T, dir string) {
				os.WriteFile(filepath.Join(dir, "shopcard.db.key"), []byte(key(9)+"\n"), 0o600)
			},
			want: []string{"the key in DIR/shopcard.db.key is not the key this database was made with"},
		},
		{
			name:    "a key file others can read",
			first:   map[string]string{},
			second:  map[string]string{},
			breakIt: func(t *testing.T, dir string) { os.Chmod(filepath.Join(dir, "shopcard.db.key"), 0o644) },
			want:    []string{"readable by others", "chmod 600"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "shopcard.db")
			tt.first["SHOPCARD_DB"], tt.second["SHOPCARD_DB"] = db, db
			a, err := open(t, tt.first, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.seed {
				if _, err := a.DB.CreateWorkspace(context.Background(), "acme"); err != nil {
					t.Fatal(err)
				}
			}
			a.Close()
			if tt.breakIt != nil {
				tt.breakIt(t, dir)
			}
			_, err = open(t, tt.second, nil)
			if err == nil {
				t.Fatal("started")
			}
			for _, w := range tt.want {
				if w = strings.ReplaceAll(w, "DIR", dir); !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if tt.name == "a missing key file" {
				if _, err := os.Stat(filepath.Join(dir, "shopcard.db.key")); err == nil {
					t.Error("a new key file was made for a database that holds secrets")
				}
			}
		})
	}
}

// TestFirstRunMakesAKey: a new database gets a new key file, 0600, and a
// database whose files others can read is warned about, loudly.
func TestFirstRunMakesAKey(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"SHOPCARD_DB": filepath.Join(dir, "shopcard.db")}
	a, err := open(t, vars, nil)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	for _, f := range []string{"shopcard.db", "shopcard.db.key"} {
		if info, err := os.Stat(filepath.Join(dir, f)); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v; want mode 0600", f, info.Mode().Perm(), err)
		}
	}
	os.Chmod(vars["SHOPCARD_DB"], 0o644)
	var logs bytes.Buffer
	if _, err := open(t, vars, &logs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "READABLE BY OTHER USERS") || !strings.Contains(logs.String(), "chmod 600") {
		t.Errorf("no loud warning about a shared database:\n%s", logs.String())
	}
}

// TestReadyzChecksTheSecrets: /readyz fails when the database cannot be
// read, or its secrets no longer open with the server's key.
func TestReadyzChecksTheSecrets(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shopcard.db")
	a, err := open(t, map[string]string{"SHOPCARD_DB": db, "SHOPCARD_SECRET_KEY": key(1)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.HTTP)
	defer srv.Close()
	ready := func() int {
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := ready(); got != http.StatusOK {
		t.Fatalf("a good database: %d", got)
	}
	// Another process rewrites the database with another key's values.
	raw, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE key_check SET value = 'v1:bm90IHRoaXMga2V5IGF0IGFsbCwgbm8gbm8gbm8'`); err != nil {
		t.Fatal(err)
	}
	if got := ready(); got != http.StatusServiceUnavailable {
		t.Errorf("secrets that don't open: %d, want 503", got)
	}
	a.DB.Close()
	if got := ready(); got != http.StatusServiceUnavailable {
		t.Errorf("a closed database: %d, want 503", got)
	}
}
