package devmode

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	templruntime "github.com/a-h/templ/runtime"
)

// resetDevDB deletes the dev database, SQLite's files beside it and its
// key file, so that the next start seeds a fresh demo.
func resetDevDB(db string) error {
	for _, suffix := range []string{"", "-wal", "-shm", ".key"} {
		if err := os.Remove(db + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("reset the dev database: %w", err)
		}
	}
	return nil
}

// serverEnv is the dev server's environment: the designer's, with dev
// mode's defaults where the designer set nothing.
func serverEnv(getenv func(string) string, root, proxyURL string) []string {
	env := os.Environ()
	// Only warnings and errors, not a line per request: the designer asks
	// for those with SHOPCARD_LOG_LEVEL=info.
	if getenv("SHOPCARD_LOG_LEVEL") == "" {
		env = append(env, "SHOPCARD_LOG_LEVEL=warn")
	}
	// Where the browser reaches the server, for OAuth's return and the
	// fake Shopify's webhooks: through templ's proxy, so that pages reached
	// that way reload too.
	if getenv("SHOPCARD_PUBLIC_URL") == "" {
		env = append(env, "SHOPCARD_PUBLIC_URL="+proxyURL)
	}
	// templ's watch mode: the server reads the text of the templates from
	// the files templ's watcher writes, so that a text edit shows without
	// a rebuild. templ sets these for a -cmd it runs; dev mode runs the
	// server itself. The root is resolved as templ's runtime resolves it.
	if resolved, err := filepath.EvalSymlinks(root); err == nil {
		root = resolved
	}
	return append(env, "TEMPL_DEV_MODE=true", "TEMPL_DEV_MODE_WATCH_ROOT="+root)
}

// templTextReady reports whether templ's watcher has written, since
// startedAt, the text files of every .templ file that generates: until
// then a server in watch mode could read none, or an older session's.
func templTextReady(root string, startedAt time.Time) bool {
	ready := true
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !ready {
			return filepath.SkipAll
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel != "." && skipDir(filepath.ToSlash(rel), d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".templ") {
			return nil
		}
		info, err := os.Stat(templruntime.GetDevModeTextFileName(path))
		// templ writes no text for a template it cannot generate; the
		// browser shows that one's error instead.
		if (err != nil || info.ModTime().Before(startedAt)) && checkTemplate(root, filepath.ToSlash(rel)) == "" {
			ready = false
		}
		return nil
	})
	return ready
}
