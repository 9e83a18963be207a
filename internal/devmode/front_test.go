package devmode

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// get sends one request to h and returns the response, read whole.
func get(tb testing.TB, h http.Handler, path string, header http.Header) (*http.Response, string) {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := rec.Result()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// waitFor polls cond until it holds, failing the test at the deadline.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestFrontHoldsRequestsDuringABuildThenProxies(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Seen-Host", r.Host)
		w.Header().Set("X-Seen-Forwarded-For", r.Header.Get("X-Forwarded-For"))
		io.WriteString(w, "page from the server at "+r.URL.Path)
	}))
	defer backend.Close()
	target, _ := url.Parse(backend.URL)

	front := NewFront(time.Hour)
	front.Building()
	type answer struct {
		resp *http.Response
		body string
	}
	answered := make(chan answer, 1)
	go func() {
		resp, body := get(t, front, "/dev/components", http.Header{"X-Forwarded-For": {"10.0.0.7"}})
		answered <- answer{resp, body}
	}()
	waitFor(t, "the request to wait for the build", func() bool { return front.held.Load() == 1 })
	select {
	case a := <-answered:
		t.Fatalf("answered %d during the build", a.resp.StatusCode)
	default:
	}
	front.Serving(target)
	a := <-answered
	if a.resp.StatusCode != http.StatusOK || a.body != "page from the server at /dev/components" {
		t.Fatalf("after the build: %d %q", a.resp.StatusCode, a.body)
	}
	// httptest.NewRequest's host, as templ's proxy passes the browser's on.
	if h := a.resp.Header.Get("X-Seen-Host"); h != "example.com" {
		t.Errorf("the server saw Host %q, want the browser's", h)
	}
	// templ's proxy's hop, then the front server's (httptest's client).
	if xff := a.resp.Header.Get("X-Seen-Forwarded-For"); xff != "10.0.0.7, 192.0.2.1" {
		t.Errorf("X-Forwarded-For %q, want the chain with the front server's hop", xff)
	}
	if n := front.held.Load(); n != 0 {
		t.Errorf("%d requests still counted as held", n)
	}
}

func TestFrontAnswers(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "the real page")
	}))
	defer backend.Close()
	target, _ := url.Parse(backend.URL)
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL, _ := url.Parse(gone.URL)
	gone.Close()

	compilerSaid := "# shopcard/handlers\nhandlers/routes.go:12:2: undefined: <nope> & \"more\""
	buildFailed := Problem{Title: "The Go build failed", Hint: "Fix it and save.", Output: compilerSaid}
	tests := []struct {
		name   string
		setup  func(f *Front)
		header http.Header
		status int
		want   []string // in the body
		absent []string // never in the body
	}{
		{
			name:   "serving",
			setup:  func(f *Front) { f.Serving(target) },
			status: http.StatusOK,
			want:   []string{"the real page"},
		},
		{
			name:   "build failed",
			setup:  func(f *Front) { f.Serving(target); f.Building(); f.Failed(buildFailed) },
			status: http.StatusInternalServerError,
			want:   []string{"The Go build failed", "handlers/routes.go:12:2: undefined: &lt;nope&gt; &amp; &#34;more&#34;", "<body", `data-testid="dev-problem"`},
			absent: []string{"the real page", "<nope>"},
		},
		{
			name:   "build failed, for htmx too",
			setup:  func(f *Front) { f.Failed(buildFailed) },
			header: http.Header{"Hx-Request": {"true"}},
			status: http.StatusInternalServerError,
			want:   []string{"The Go build failed", "undefined: &lt;nope&gt;"},
		},
		{
			name: "templ cannot generate, while the server runs the old views",
			setup: func(f *Front) {
				f.Serving(target)
				f.SetTemplErrors(map[string]string{"views/z.templ": "views/z.templ: parsing error: missing close brace", "views/a.templ": "views/a.templ: parsing error: <div> not closed"})
			},
			status: http.StatusInternalServerError,
			want:   []string{"templ cannot generate your views", "<h2>views/a.templ</h2>", "&lt;div&gt; not closed", "<h2>views/z.templ</h2>"},
			absent: []string{"the real page"},
		},
		{
			name: "templ and the build both fail",
			setup: func(f *Front) {
				f.Failed(buildFailed)
				f.SetTemplErrors(map[string]string{"views/a.templ": "views/a.templ: parsing error"})
			},
			status: http.StatusInternalServerError,
			want:   []string{"templ cannot generate your views", "views/a.templ: parsing error", "<h2>The Go build failed</h2>", "undefined: &lt;nope&gt;"},
		},
		{
			name: "templ fixed",
			setup: func(f *Front) {
				f.Serving(target)
				f.SetTemplErrors(map[string]string{"a.templ": "x"})
				f.SetTemplErrors(map[string]string{})
			},
			status: http.StatusOK,
			want:   []string{"the real page"},
		},
		{
			name:   "server exited",
			setup:  func(f *Front) { f.Failed(exitProblem(errString("exit status 2"), "panic: <boom>\n")) },
			status: http.StatusInternalServerError,
			want:   []string{"The shopcard server exited (exit status 2)", "panic: &lt;boom&gt;", "--reset"},
		},
		{
			// Not 502, which templ's proxy would retry for a minute.
			name:   "server not answering",
			setup:  func(f *Front) { f.Serving(goneURL) },
			status: http.StatusInternalServerError,
			want:   []string{"The shopcard server did not answer", "GET /admin/stores?x=1"},
		},
		{
			// holdFor is 0 here: the bound has passed at once.
			name:   "still building after the hold",
			setup:  func(f *Front) { f.Serving(target); f.Building() },
			status: http.StatusServiceUnavailable,
			want:   []string{"Still building", "reloads by itself"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			front := NewFront(0)
			tt.setup(front)
			resp, body := get(t, front, "/admin/stores?x=1", tt.header)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("the page lacks %q:\n%s", w, body)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(body, a) {
					t.Errorf("the page has %q:\n%s", a, body)
				}
			}
			if tt.status != http.StatusOK {
				// templ's proxy adds its reload script only to HTML, and a
				// cached error would outlive the fix.
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("Content-Type %q", ct)
				}
				if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
					t.Errorf("Cache-Control %q", cc)
				}
			}
		})
	}
}

func TestFrontReleasesAHeldRequestWhenItsClientGoesAway(t *testing.T) {
	front := NewFront(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		rec := httptest.NewRecorder()
		front.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx))
		done <- rec.Code
	}()
	waitFor(t, "the request to wait", func() bool { return front.held.Load() == 1 })
	cancel()
	if code := <-done; code != http.StatusServiceUnavailable {
		t.Errorf("status %d", code)
	}
	if n := front.held.Load(); n != 0 {
		t.Errorf("%d requests still counted as held", n)
	}
}

func TestSetTemplErrorsSaysWhetherTheyChanged(t *testing.T) {
	front := NewFront(0)
	steps := []struct {
		errs map[string]string
		want bool
	}{
		{map[string]string{}, false}, // none before, none now
		{map[string]string{"a.templ": "broken"}, true},
		{map[string]string{"a.templ": "broken"}, false},
		{map[string]string{"a.templ": "broken differently"}, true},
		{map[string]string{"a.templ": "broken differently", "b.templ": "too"}, true},
		{nil, true},
	}
	for i, s := range steps {
		if got := front.SetTemplErrors(s.errs); got != s.want {
			t.Errorf("step %d: changed %v, want %v", i, got, s.want)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }
