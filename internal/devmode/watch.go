package devmode

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Watcher finds, by polling, the files that changed under a directory: the
// Go files that need a rebuild of the server, and the .templ files whose
// errors dev mode shows. Polling a few hundred files costs well under a
// millisecond a scan, needs no dependency and sees every way an editor
// saves (in place, or a new file renamed over the old).
type Watcher struct {
	root    string
	rebuild *regexp.Regexp
	files   map[string]watched
}

// watched is what a scan remembers about a file.
type watched struct {
	modTime time.Time
	size    int64
	// sum is the file's fingerprint, for Go files: a file saved unchanged
	// (or a _templ.go rewritten for a text edit) does not rebuild.
	sum [sha256.Size]byte
}

// Changes is what changed between two scans, by slash-separated path from
// the watched directory.
type Changes struct {
	// Go lists the changed, added or removed files that rebuild the server.
	Go []string
	// Templ lists the changed, added or removed .templ files.
	Templ []string
}

// NewWatcher watches root: the files matching rebuild (never *_test.go,
// which no build of the server reads) and every .templ file. It takes its
// first scan now, so that Scan reports what changes after this.
func NewWatcher(root string, rebuild *regexp.Regexp) (*Watcher, Changes, error) {
	w := &Watcher{root: root, rebuild: rebuild}
	first, err := w.Scan()
	return w, first, err
}

// Scan walks the directory and reports what changed since the last scan
// (on the first, every file it watches).
func (w *Watcher) Scan() (Changes, error) {
	var c Changes
	seen := make(map[string]watched, len(w.files))
	err := filepath.WalkDir(w.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			// A file or directory removed during the walk is a change the
			// next scan sees; nothing else stops a walk.
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		rel, _ := filepath.Rel(w.root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && skipDir(rel, d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		isTempl := strings.HasSuffix(rel, ".templ")
		if !isTempl && (strings.HasSuffix(rel, "_test.go") || !w.rebuild.MatchString(rel)) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // removed since the directory was read
		}
		now := watched{modTime: info.ModTime(), size: info.Size()}
		before, known := w.files[rel]
		if known && before.modTime.Equal(now.modTime) && before.size == now.size {
			seen[rel] = before
			return nil
		}
		content, err := os.ReadFile(path)
		if err != nil || inFlux(path, now, content) {
			// Being written (or removed): look again at the next scan,
			// rather than rebuild, or show an error, for half a file.
			if known {
				seen[rel] = before
			}
			return nil
		}
		if isTempl {
			seen[rel] = now
			c.Templ = append(c.Templ, rel)
			return nil
		}
		now.sum = fingerprint(rel, content)
		seen[rel] = now
		if !known || before.sum != now.sum {
			c.Go = append(c.Go, rel)
		}
		return nil
	})
	if err != nil {
		return Changes{}, err
	}
	for rel := range w.files {
		if _, ok := seen[rel]; !ok {
			if strings.HasSuffix(rel, ".templ") {
				c.Templ = append(c.Templ, rel)
			} else {
				c.Go = append(c.Go, rel)
			}
		}
	}
	w.files = seen
	slices.Sort(c.Go)
	slices.Sort(c.Templ)
	return c, nil
}

// inFlux reports whether a file was being written while it was read:
// editors and templ write a file by truncating it and then writing it
// whole, and a scan can fall in between. So a file that changed while it
// was read is in flux, and so is an empty one for a second after it was
// truncated; one that stays empty is a change like any other (and a
// build error, which the browser then shows).
func inFlux(path string, before watched, content []byte) bool {
	after, err := os.Stat(path)
	if err != nil || int64(len(content)) != after.Size() || after.Size() != before.size || !after.ModTime().Equal(before.modTime) {
		return true
	}
	return len(content) == 0 && time.Since(after.ModTime()) < time.Second
}

// skipDir reports whether a directory holds nothing the server is built
// from: what the go command itself ignores (names starting with . or _,
// testdata), node_modules, and the git-ignored tmp/ at the root, where the
// dev database lives.
func skipDir(rel, name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
		name == "testdata" || name == "node_modules" || rel == "tmp"
}

// templLiteral matches the text a generated _templ.go writes, as
// templ's generator emits it: templruntime.WriteString(buffer, index, "…").
var templLiteral = regexp.MustCompile(`(templruntime\.WriteString\(templ_7745c5c3_Buffer, \d+, )"(?:[^"\\\n]|\\.)*"\)`)

// fingerprint is what a rebuild depends on in a Go file. For a file templ
// generated it leaves out the text: in watch mode templ rewrites the
// _templ.go on every text edit, but the running server reads the new text
// from templ's watch-mode files, so only a change of code needs a rebuild.
func fingerprint(rel string, content []byte) [sha256.Size]byte {
	if strings.HasSuffix(rel, "_templ.go") {
		content = templLiteral.ReplaceAll(content, []byte(`${1}"")`))
	}
	return sha256.Sum256(content)
}

// watch scans the tree every interval until ctx ends: Go changes go to
// the server for a rebuild, and changed .templ files are checked, with the
// browser reloaded when their errors change (templ reloads it only after
// a template that generates).
func watch(ctx context.Context, w *Watcher, interval time.Duration, changes *Pending, front *Front, templErrors map[string]string, reload func(), stderr io.Writer) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	var lastErr string
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		c, err := w.Scan()
		if err != nil {
			// Said once, not ten times a second; the next good scan sees
			// every change since the last one.
			if err.Error() != lastErr {
				lastErr = err.Error()
				fmt.Fprintf(stderr, "shopcard dev: cannot scan for changes: %v\n", err)
			}
			continue
		}
		lastErr = ""
		changes.Add(c.Go...)
		if len(c.Templ) > 0 {
			checkTemplates(w.root, c.Templ, templErrors)
			if front.SetTemplErrors(maps.Clone(templErrors)) {
				reload()
			}
		}
	}
}
