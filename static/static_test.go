package static

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestServe(t *testing.T) {
	prod := Embedded()
	dev := FromDisk(".")
	cssURL := prod.URL("app.css")
	if !strings.HasPrefix(cssURL, "/static/app.css?v=") {
		t.Fatalf("production URL %q is not versioned", cssURL)
	}
	if dev.URL("app.css") != "/static/app.css" {
		t.Errorf("dev URL %q", dev.URL("app.css"))
	}
	tests := []struct {
		name   string
		files  *Files
		path   string
		status int
		cache  string
		ctype  string
	}{
		{"current version is immutable", prod, cssURL, 200, "public, max-age=31536000, immutable", "text/css"},
		{"old version revalidates", prod, "/static/app.css?v=old", 200, "no-cache", "text/css"},
		{"script", prod, prod.URL("htmx.min.js"), 200, "public, max-age=31536000, immutable", "javascript"},
		{"dev never caches", dev, "/static/app.css", 200, "no-store", "text/css"},
		{"missing", prod, "/static/nope.js", 404, "", ""},
		{"no traversal", dev, "/static/../static.go", 404, "", ""},
		{"no sources", prod, "/static/src/app.css", 404, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tt.files.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if got := rec.Header().Get("Cache-Control"); tt.cache != "" && got != tt.cache {
				t.Errorf("Cache-Control %q, want %q", got, tt.cache)
			}
			if got := rec.Header().Get("Content-Type"); !strings.Contains(got, tt.ctype) {
				t.Errorf("Content-Type %q, want %q", got, tt.ctype)
			}
		})
	}
}
