// Package static serves shopcard's CSS and JavaScript. In production the
// files are embedded in the binary and served under versioned URLs with a
// one-year cache lifetime; in dev mode they are read from disk on every
// request with Cache-Control: no-store, so edits show at once.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strings"
)

//go:embed app.css htmx.min.js sidebar.js admin.js inbox-app.js chatwoot.js front.js zendesk.js
var embedded embed.FS

// Prefix is where static files are served.
const Prefix = "/static/"

// Files serves static assets.
type Files struct {
	fsys     fs.FS
	dev      bool
	versions map[string]string // file name → content hash, production only
}

// Embedded returns the files compiled into the binary.
func Embedded() *Files {
	f := &Files{fsys: embedded, versions: map[string]string{}}
	entries, _ := fs.ReadDir(embedded, ".")
	for _, e := range entries {
		b, err := fs.ReadFile(embedded, e.Name())
		if err != nil {
			continue
		}
		sum := sha256.Sum256(b)
		f.versions[e.Name()] = hex.EncodeToString(sum[:6])
	}
	return f
}

// FromDisk returns files read from dir on every request, for dev mode.
func FromDisk(dir string) *Files {
	return &Files{fsys: os.DirFS(dir), dev: true}
}

// URL returns the URL of a static file: versioned by its content in
// production, plain in dev mode.
func (f *Files) URL(name string) string {
	if v, ok := f.versions[name]; ok {
		return Prefix + name + "?v=" + v
	}
	return Prefix + name
}

// ServeHTTP serves one file. A request for the current version is cached for
// a year; anything else must revalidate.
func (f *Files) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), Prefix)
	if name == "" || strings.Contains(name, "/") || strings.HasPrefix(name, ".") {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(f.fsys, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	switch {
	case f.dev:
		w.Header().Set("Cache-Control", "no-store")
	case r.URL.Query().Get("v") != "" && r.URL.Query().Get("v") == f.versions[name]:
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	default:
		w.Header().Set("Cache-Control", "no-cache")
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(b)
}
