package devmode

import (
	"bytes"
	"context"
	"errors"
	"go/format"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/a-h/templ/generator"
	parser "github.com/a-h/templ/parser/v2"
	templruntime "github.com/a-h/templ/runtime"
)

// checkTemplate reports what templ's watcher hits when it generates the
// .templ file at rel (a slash-separated path from root): a parse,
// generation or formatting error, or "" when the file generates or no
// longer exists.
//
// templ only logs such an error and keeps the last generated _templ.go, so
// the server builds and serves the old view as if nothing were wrong. Dev
// mode runs the same steps as templ's watcher (templ's own parser and
// generator, at the version go.mod pins, then gofmt) to show the error in
// the browser.
func checkTemplate(root, rel string) string {
	t, err := parser.Parse(filepath.Join(root, filepath.FromSlash(rel)))
	if errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	if err != nil {
		return rel + ": parsing error: " + err.Error()
	}
	var b bytes.Buffer
	out, err := generator.Generate(t, &b, generator.WithFileName(rel))
	if err != nil {
		return rel + ": generation error: " + err.Error()
	}
	if _, err := format.Source(b.Bytes()); err != nil {
		return rel + ": the Go code in it does not parse: " + templPositions(err, out.SourceMap, rel).Error()
	}
	return ""
}

// checkTemplates checks the .templ files at rels and records their errors
// in errs, deleting those of files that now generate.
func checkTemplates(root string, rels []string, errs map[string]string) {
	for _, rel := range rels {
		if msg := checkTemplate(root, rel); msg != "" {
			errs[rel] = msg
		} else {
			delete(errs, rel)
		}
	}
}

// waitForTemplText waits, up to limit, for templ's watcher to write the
// text of every template (see templTextReady), so that the first server
// does not start before it.
func waitForTemplText(ctx context.Context, root string, startedAt time.Time, limit time.Duration) {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !templTextReady(root, startedAt) {
		select {
		case <-ctx.Done():
			return
		case <-deadline.C:
			return
		case <-tick.C:
		}
	}
}

// templPositions moves the positions of gofmt's errors, which are in the
// generated Go, to the .templ file they came from, as templ's watcher
// does. Generated code opens with a package line the source map does not
// count, hence the line offsets.
func templPositions(err error, sm *parser.SourceMap, rel string) error {
	var list scanner.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return err
	}
	for _, e := range list {
		src, ok := sm.SourcePositionFromTarget(uint32(e.Pos.Line-1), uint32(e.Pos.Column))
		if !ok {
			continue
		}
		e.Pos = token.Position{Filename: rel, Offset: int(src.Index), Line: int(src.Line) + 1, Column: int(src.Col)}
	}
	return list
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
