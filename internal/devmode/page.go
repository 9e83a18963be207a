package devmode

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
)

// page is a page dev mode answers with itself, instead of the server's:
// the compiler's errors, a server that exited, a build still running.
type page struct {
	Title    string
	Hint     string
	Sections []section
}

// section is one output on a page, such as one file's templ error.
type section struct {
	Heading string
	Output  string
}

// pageTemplate is plain HTML with its style inline, so that it shows even
// while the stylesheet cannot be served. It loads no script of its own:
// templ's proxy adds its reload script to every HTML page, which is what
// reloads this one after the next good build. html/template escapes the
// compiler's output, which quotes the designer's code, markup and all.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · shopcard dev</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #0f172a; background: #fff; }
h1 { font-size: 1.25rem; color: #b91c1c; }
h2 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
pre { background: #0f172a; color: #f1f5f9; padding: 1rem; border-radius: .375rem; overflow-x: auto; white-space: pre-wrap; font-size: 13px; }
@media (prefers-color-scheme: dark) { body { background: #020617; color: #e2e8f0; } h1 { color: #f87171; } }
</style>
</head>
<body data-testid="dev-problem">
<h1>{{.Title}}</h1>
<p>{{.Hint}}</p>
{{range .Sections}}{{if .Heading}}<h2>{{.Heading}}</h2>
{{end}}<pre data-testid="dev-output">{{.Output}}</pre>
{{end}}</body>
</html>
`))

// writePage answers with pg. Nothing caches it: it is only true until the
// next build.
func writePage(w http.ResponseWriter, status int, pg page) {
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, pg); err != nil {
		// Not reached: the template only prints strings.
		http.Error(w, pg.Title+"\n\n"+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}
