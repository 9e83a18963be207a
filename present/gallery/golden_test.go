package gallery

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// goldenNow is the fixtures' clock for golden files, so relative times
// ("3 days ago") never change.
var goldenNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// goldenEntries are the states whose markup structure matters most: what
// a rep reads on a loaded, empty, failed, stale and guest section, a
// customer card and an order with several shipments, and the first paint.
var goldenEntries = []string{
	"customer-complete", "orders-shipments",
	"section-loaded", "section-no-match", "section-attention", "section-stale", "section-guest-orders",
	"sidebar-loading", "order-search-results",
}

// TestGoldenMarkup compares the narrow rendering of each entry with
// testdata/<entry>.html. Set SHOPCARD_UPDATE_GOLDEN=1 to rewrite them after
// a deliberate change, and review the diff.
func TestGoldenMarkup(t *testing.T) {
	byID := map[string][]byte{}
	for _, g := range Groups(goldenNow, "/sidebar/stores/1") {
		for _, e := range g.Entries {
			var buf bytes.Buffer
			if err := e.Narrow.Render(context.Background(), &buf); err != nil {
				t.Fatalf("%s: %v", e.ID, err)
			}
			byID[e.ID] = readable(buf.Bytes())
		}
	}
	update := os.Getenv("SHOPCARD_UPDATE_GOLDEN") != ""
	for _, id := range goldenEntries {
		t.Run(id, func(t *testing.T) {
			got, ok := byID[id]
			if !ok {
				t.Fatalf("the gallery has no entry %q", id)
			}
			path := filepath.Join("testdata", id+".html")
			if update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with SHOPCARD_UPDATE_GOLDEN=1 to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s; if the change is meant, rerun with SHOPCARD_UPDATE_GOLDEN=1 and review the diff\n%s", id, path, firstDifference(got, want))
			}
		})
	}
}

// readable puts each tag on its own line, so a golden file's diff shows
// which element changed.
func readable(html []byte) []byte {
	s := strings.ReplaceAll(string(html), "><", ">\n<")
	return []byte(strings.TrimSpace(s) + "\n")
}

// firstDifference shows the first line where got and want part.
func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n  got:  " + gl + "\n  want: " + wl
		}
	}
	return ""
}
