package devmode

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckTemplate(t *testing.T) {
	tests := []struct {
		name    string
		content string // "" for no file at all
		want    []string
	}{
		{"generates", "package views\n\ntempl Hello(name string) {\n\t<p>Hello { name }</p>\n}\n", nil},
		{"missing brace", "package views\n\ntempl Hello(name string) {\n\t<p>Hello { name </p>\n}\n", []string{"views/hello.templ: parsing error:", "missing close brace", "line 4"}},
		{"unclosed element", "package views\n\ntempl Hello() {\n\t<div>\n}\n", []string{"views/hello.templ: parsing error:", "div"}},
		{"deleted", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if tt.content != "" {
				os.MkdirAll(filepath.Join(root, "views"), 0o755)
				if err := os.WriteFile(filepath.Join(root, "views", "hello.templ"), []byte(tt.content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got := checkTemplate(root, "views/hello.templ")
			if len(tt.want) == 0 {
				if got != "" {
					t.Errorf("error %q for a template that generates", got)
				}
				return
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("error %q does not say %q", got, w)
				}
			}
		})
	}
}

// TestCheckTemplateAgreesWithTheCommittedViews keeps the check honest: every
// committed template generates, so none may be reported broken.
func TestCheckTemplateAgreesWithTheCommittedViews(t *testing.T) {
	root := filepath.Join("..", "..")
	files, err := filepath.Glob(filepath.Join(root, "views", "*.templ"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates found: %v", err)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		if msg := checkTemplate(root, filepath.ToSlash(rel)); msg != "" {
			t.Errorf("%s: %s", rel, msg)
		}
	}
}
