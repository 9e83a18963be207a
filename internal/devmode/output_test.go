package devmode

import (
	"regexp"
	"strings"
	"testing"
)

func TestLineFilter(t *testing.T) {
	tests := []struct {
		name   string
		drop   *regexp.Regexp
		writes []string
		want   string
	}{
		{"progress", tailwindProgress, []string{"\nRebuilding...\n\nDone in 123ms.\n"}, ""},
		{"an error", tailwindProgress, []string{"Rebuilding...\n", "CssSyntaxError: static/src/app.css:3:1: Unknown word\n", "\n"}, "CssSyntaxError: static/src/app.css:3:1: Unknown word\n"},
		{"lines split across writes", tailwindProgress, []string{"Rebuil", "ding...\nwarn - The `content` option", " is missing\n"}, "warn - The `content` option is missing\n"},
		{"similar words kept", tailwindProgress, []string{"Done in time for lunch.\n"}, "Done in time for lunch.\n"},
		{"a last line without a newline", tailwindProgress, []string{"Error: gone"}, "Error: gone\n"},
		{"templ stopping", templShutdown, []string{"Stopping...\n(✗) Command failed: generation completed with 3 errors\n"}, ""},
		{"templ's real errors", templShutdown, []string{"(✗) Error [ error=failed to generate code for \"views/a.templ\" ]\n(!) templ version check: upgrade\n"}, "(✗) Error [ error=failed to generate code for \"views/a.templ\" ]\n(!) templ version check: upgrade\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			f := newLineFilter(&out, tt.drop)
			for _, w := range tt.writes {
				if n, err := f.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write: %d, %v", n, err)
				}
			}
			f.Flush()
			if out.String() != tt.want {
				t.Errorf("passed on %q, want %q", out.String(), tt.want)
			}
		})
	}
}
