package devmode

import (
	"strings"
	"testing"
)

func TestLineFilterDropsTailwindProgress(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"progress", []string{"\nRebuilding...\n\nDone in 123ms.\n"}, ""},
		{"an error", []string{"Rebuilding...\n", "CssSyntaxError: static/src/app.css:3:1: Unknown word\n", "\n"}, "CssSyntaxError: static/src/app.css:3:1: Unknown word\n"},
		{"lines split across writes", []string{"Rebuil", "ding...\nwarn - The `content` option", " is missing\n"}, "warn - The `content` option is missing\n"},
		{"similar words kept", []string{"Done in time for lunch.\n"}, "Done in time for lunch.\n"},
		{"a last line without a newline", []string{"Error: gone"}, "Error: gone\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			f := newLineFilter(&out, tailwindProgress)
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
