package devmode

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestServerEnv(t *testing.T) {
	root := t.TempDir()
	tests := []struct {
		name     string
		designer map[string]string
		want     []string // the last value of each variable, which is the one a process sees
	}{
		{"dev mode's defaults", nil, []string{"SHOPCARD_LOG_LEVEL=warn", "SHOPCARD_PUBLIC_URL=http://127.0.0.1:7331", "TEMPL_DEV_MODE=true"}},
		{"the designer asks for requests", map[string]string{"SHOPCARD_LOG_LEVEL": "info"}, []string{"SHOPCARD_PUBLIC_URL=http://127.0.0.1:7331"}},
		{"the designer names the public URL", map[string]string{"SHOPCARD_PUBLIC_URL": "https://tunnel.example"}, []string{"SHOPCARD_LOG_LEVEL=warn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := serverEnv(func(k string) string { return tt.designer[k] }, root, "http://127.0.0.1:7331")
			last := map[string]string{}
			for _, kv := range env {
				k, v, _ := strings.Cut(kv, "=")
				last[k] = v
			}
			for _, w := range tt.want {
				k, v, _ := strings.Cut(w, "=")
				if last[k] != v {
					t.Errorf("%s=%q, want %q", k, last[k], v)
				}
			}
			// What dev mode adds comes after the inherited environment, and
			// leaves alone whatever the designer set.
			added := env[len(os.Environ()):]
			for k := range tt.designer {
				if slices.ContainsFunc(added, func(kv string) bool { return strings.HasPrefix(kv, k+"=") }) {
					t.Errorf("dev mode set %s over the designer's: %q", k, added)
				}
			}
			resolved, _ := filepath.EvalSymlinks(root)
			if last["TEMPL_DEV_MODE_WATCH_ROOT"] != resolved {
				t.Errorf("TEMPL_DEV_MODE_WATCH_ROOT=%q, want %q", last["TEMPL_DEV_MODE_WATCH_ROOT"], resolved)
			}
		})
	}
}

func TestResetDevDB(t *testing.T) {
	tests := []struct {
		name  string
		files []string
	}{
		{"database, WAL and key", []string{"demo.db", "demo.db-wal", "demo.db-shm", "demo.db.key"}},
		{"nothing there yet", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			keep := filepath.Join(dir, "other.db")
			for _, f := range append(tt.files, "other.db") {
				if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if err := resetDevDB(filepath.Join(dir, "demo.db")); err != nil {
				t.Fatal(err)
			}
			for _, f := range tt.files {
				if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
					t.Errorf("%s is still there", f)
				}
			}
			if _, err := os.Stat(keep); err != nil {
				t.Errorf("reset deleted another file: %v", err)
			}
		})
	}
}
