package devmode

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"
)

func TestFingerprint(t *testing.T) {
	const generated = `func Badge() templ.Component {
	templ_7745c5c3_Err = templruntime.WriteString(templ_7745c5c3_Buffer, 1, "<span class=\"a\">Paid</span>")
	_, templ_7745c5c3_Err = templ_7745c5c3_Buffer.WriteString(templ.EscapeString(b.Label))
}`
	tests := []struct {
		name     string
		file     string
		old, new string
		same     bool
	}{
		{"text edit in a template", "views/badge_templ.go", generated, replace(generated, "Paid", `Paid \"in full\"`), true},
		{"class edit in a template", "views/badge_templ.go", generated, replace(generated, `class=\"a\"`, `class=\"a b\"`), true},
		{"code edit in a template", "views/badge_templ.go", generated, replace(generated, "b.Label", "b.Title"), false},
		{"text that became a new literal", "views/badge_templ.go", generated, replace(generated, `WriteString(templ_7745c5c3_Buffer, 1,`, `WriteString(templ_7745c5c3_Buffer, 2,`), false},
		{"the same text in a hand-written file", "views/badge.go", generated, replace(generated, "Paid", "Unpaid"), false},
		{"any edit to Go code", "handlers/routes.go", "package handlers\n", "package handlers\n\n// x\n", false},
		{"saved unchanged", "handlers/routes.go", "package handlers\n", "package handlers\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.old == tt.new && !tt.same {
				t.Fatal("the case changes nothing")
			}
			if same := fingerprint(tt.file, []byte(tt.old)) == fingerprint(tt.file, []byte(tt.new)); same != tt.same {
				t.Errorf("same fingerprint: %v, want %v", same, tt.same)
			}
		})
	}
}

func replace(s, old, new string) string {
	out := regexp.MustCompile(regexp.QuoteMeta(old)).ReplaceAllLiteralString(s, new)
	if out == s {
		panic("nothing replaced: " + old)
	}
	return out
}

func TestWatcherScan(t *testing.T) {
	root := t.TempDir()
	// Every write gets its own modification time, an hour apart, so that
	// the test does not depend on the file system's clock resolution.
	clock := time.Now().Add(-100 * time.Hour)
	write := func(rel, content string) {
		t.Helper()
		path := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Hour)
		if err := os.Chtimes(path, clock, clock); err != nil {
			t.Fatal(err)
		}
	}
	// writeNow writes a file as if just now: with a modification time
	// ahead of the clock, so that no scan can come "a second later".
	writeNow := func(rel, content string) {
		t.Helper()
		path := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		soon := time.Now().Add(time.Hour)
		if err := os.Chtimes(path, soon, soon); err != nil {
			t.Fatal(err)
		}
	}
	for rel, content := range map[string]string{
		"main.go":                   "package main\n",
		"go.mod":                    "module x\n",
		"views/page.templ":          "package views\n",
		"views/page_templ.go":       "package views\n",
		"views/page_test.go":        "package views\n",
		"notes.txt":                 "not watched",
		"node_modules/pkg/x.go":     "package pkg\n",
		"testdata/fixture.go":       "package fixture\n",
		"tmp/dev/scratch.go":        "package scratch\n",
		".git/hooks/x.go":           "package hooks\n",
		"_attic/old.go":             "package attic\n",
		"internal/tmp/kept.go":      "package tmp\n", // only the root's tmp/ is skipped
		"static/src/app.css":        "@tailwind base;",
		"internal/cli/dev.go":       "package cli\n",
		"internal/cli/dev_test.go":  "package cli\n",
		"views/partials/card.templ": "package partials\n",
	} {
		write(rel, content)
	}
	w, first, err := NewWatcher(root, regexp.MustCompile(`(.+\.go$)|(^go\.(mod|sum)$)`))
	if err != nil {
		t.Fatal(err)
	}
	check := func(step string, got Changes, goFiles, templFiles []string) {
		t.Helper()
		if !slices.Equal(got.Go, goFiles) || !slices.Equal(got.Templ, templFiles) {
			t.Errorf("%s: Go %q templ %q, want Go %q templ %q", step, got.Go, got.Templ, goFiles, templFiles)
		}
	}
	check("first scan", first, []string{"go.mod", "internal/cli/dev.go", "internal/tmp/kept.go", "main.go", "views/page_templ.go"}, []string{"views/page.templ", "views/partials/card.templ"})

	scan := func() Changes {
		t.Helper()
		c, err := w.Scan()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	steps := []struct {
		name       string
		do         func()
		goFiles    []string
		templFiles []string
	}{
		{"nothing", func() {}, nil, nil},
		{"a Go edit", func() { write("main.go", "package main\n\nfunc f() {}\n") }, []string{"main.go"}, nil},
		{"saved unchanged", func() { write("main.go", "package main\n\nfunc f() {}\n") }, nil, nil},
		{"a test edit", func() { write("views/page_test.go", "package views\n\n// more\n") }, nil, nil},
		{"an edit outside the build", func() {
			write("node_modules/pkg/x.go", "package pkg\n// x\n")
			write("tmp/dev/scratch.go", "package s\n")
		}, nil, nil},
		{"a template edit", func() { write("views/page.templ", "package views\n\ntempl A() {}\n") }, nil, []string{"views/page.templ"}},
		{"a new file", func() { write("internal/cli/new.go", "package cli\n") }, []string{"internal/cli/new.go"}, nil},
		{"go.mod", func() { write("go.mod", "module x\n\ngo 1.26\n") }, []string{"go.mod"}, nil},
		{"removals", func() {
			os.Remove(filepath.Join(root, "internal/cli/dev.go"))
			os.Remove(filepath.Join(root, "views/partials/card.templ"))
		}, []string{"internal/cli/dev.go"}, []string{"views/partials/card.templ"}},
		{"a file being written", func() { writeNow("main.go", "") }, nil, nil},
		{"and then written", func() { write("main.go", "package main\n\nfunc g() {}\n") }, []string{"main.go"}, nil},
		// The test's clock is 100 hours behind: long enough ago.
		{"a file left empty", func() { write("main.go", "") }, []string{"main.go"}, nil},
	}
	for _, s := range steps {
		s.do()
		check(s.name, scan(), s.goFiles, s.templFiles)
	}
}
