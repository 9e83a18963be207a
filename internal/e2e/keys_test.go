package e2e

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLINeverSealsWithAnotherKey: every command opens the database the
// way the server does, so a command run with another key (or with the key
// file missing) refuses to write anything rather than seal new rows that
// the server could not open.
func TestCLINeverSealsWithAnotherKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "cli.db")
	keyA := hex.EncodeToString(bytes.Repeat([]byte{1}, 32))
	keyB := hex.EncodeToString(bytes.Repeat([]byte{2}, 32))
	withKey := func(k string) func(string) string {
		return testGetenv(map[string]string{"SHOPCARD_SECRET_KEY": k, "SHOPCARD_LOG_LEVEL": "warn"})
	}
	if out, err := runCLI(t, withKey(keyA), "", "workspace", "create", "first", "--db", db); err != nil {
		t.Fatalf("workspace create: %v\n%s", err, out)
	}
	tests := []struct {
		name   string
		getenv func(string) string
		stdin  string
		args   []string
	}{
		{"workspace create", withKey(keyB), "", []string{"workspace", "create", "second"}},
		{"admin create", withKey(keyB), "a long enough password\n", []string{"admin", "create", "--workspace", "first", "--email", "ada@example.com"}},
		{"stores add", withKey(keyB), "shpat_x\n", []string{"stores", "add", "--workspace", "first", "--domain", "x.myshopify.com"}},
		{"token", withKey(keyB), "", []string{"token", "--workspace", "first", "--email", "ada@example.com"}},
		{"workspace create with the key file missing", testGetenv(map[string]string{"SHOPCARD_LOG_LEVEL": "warn"}), "", []string{"workspace", "create", "third"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runCLI(t, tt.getenv, tt.stdin, append(tt.args, "--db", db)...)
			if err == nil {
				t.Fatalf("ran with the wrong key:\n%s", out)
			}
			if !strings.Contains(err.Error(), "not the key this database was made with") && !strings.Contains(err.Error(), "is missing") {
				t.Errorf("error %q does not say the key is wrong", err)
			}
		})
	}
	if _, err := os.Stat(db + ".key"); err == nil {
		t.Error("a command made a new key file for a database that holds secrets")
	}
	out, err := runCLI(t, withKey(keyA), "", "token", "--workspace", "first", "--email", "ada@example.com", "--db", db)
	if err != nil || strings.Count(strings.TrimSpace(out), ".") != 2 {
		t.Fatalf("the right key no longer works: %v\n%s", err, out)
	}
}
