package devmode

import (
	"bytes"
	"io"
	"regexp"
	"sync"
)

// lineFilter passes a process's output on line by line, leaving out the
// lines that drop matches: progress a designer need not read on every
// save. Everything else, errors above all, goes through unchanged.
type lineFilter struct {
	mu      sync.Mutex
	w       io.Writer
	drop    *regexp.Regexp
	partial []byte
}

func newLineFilter(w io.Writer, drop *regexp.Regexp) *lineFilter {
	return &lineFilter{w: w, drop: drop}
}

func (f *lineFilter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.partial = append(f.partial, p...)
	for {
		i := bytes.IndexByte(f.partial, '\n')
		if i < 0 {
			break
		}
		line := f.partial[:i+1]
		if !f.drop.Match(bytes.TrimRight(line, "\r\n")) {
			if _, err := f.w.Write(line); err != nil {
				return len(p), err
			}
		}
		f.partial = f.partial[i+1:]
	}
	// Keep what is left of a line in a buffer of its own, so that the
	// slice above can be reused without growing forever.
	f.partial = append([]byte(nil), f.partial...)
	return len(p), nil
}

// Flush writes out a last line that had no newline.
func (f *lineFilter) Flush() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.partial) > 0 && !f.drop.Match(f.partial) {
		f.w.Write(f.partial)
		f.w.Write([]byte("\n"))
	}
	f.partial = nil
}

// tailwindProgress is what Tailwind's watcher prints on every rebuild
// (and the blank lines around it).
var tailwindProgress = regexp.MustCompile(`^\s*$|^Rebuilding\.\.\.$|^Done in \d+ms\.$`)

// templShutdown is what templ's watcher prints when dev mode stops it: a
// "Command failed" that counts every template error of the session, fixed
// or not, which would read as if something were still broken.
var templShutdown = regexp.MustCompile(`^Stopping\.\.\.$|^\(✗\) Command failed: generation completed with \d+ errors?$`)
