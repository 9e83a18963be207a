package devmode

import (
	"context"
	"maps"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Front is dev mode's front server, at app_addr, where templ's proxy sends
// every request. It stands in for the shopcard server, which dev mode
// rebuilds and restarts on every Go change: it proxies to the running
// server, holds requests while a build or restart is under way so that a
// reload shows the new code rather than an error, and while a build is
// broken answers every request with the compiler's output.
//
// It never answers 502: templ's proxy retries a 502 twenty times, with
// pauses that grow to minutes, which is the hanging request dev mode
// exists to avoid.
type Front struct {
	// holdFor bounds how long a request waits for a build or restart; after
	// that it gets a "still building" page, which reloads by itself when
	// the build ends.
	holdFor time.Duration

	mu sync.Mutex
	st frontState
	// changed is closed, and replaced, on every change of st, to wake the
	// requests waiting for one.
	changed chan struct{}

	// held counts the requests waiting now; the tests watch it.
	held atomic.Int32

	proxy     *httputil.ReverseProxy
	transport *http.Transport
}

// frontState is what the front server answers with.
type frontState struct {
	busy   bool     // a build or a restart is under way
	target *url.URL // the running server, or nil
	// failure is why there is no server to proxy to: the build failed or
	// the server exited. The zero Problem means none.
	failure Problem
	// templ holds templ's errors, one per .templ file it cannot generate.
	// While there are any the server runs the last good views, so they
	// win over a server that works.
	templ map[string]string
}

// NewFront returns a front server with nothing to proxy to yet, as at
// startup before the first build: requests wait up to holdFor.
func NewFront(holdFor time.Duration) *Front {
	f := &Front{holdFor: holdFor, changed: make(chan struct{}), st: frontState{busy: true}}
	f.transport = http.DefaultTransport.(*http.Transport).Clone()
	f.transport.Proxy = nil // the server is on loopback, never behind a proxy
	f.proxy = &httputil.ReverseProxy{
		Transport: f.transport,
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(pr.In.Context().Value(targetKey{}).(*url.URL))
			// The server sees the request as it did behind templ's proxy
			// alone: the Host the browser used, and the X-Forwarded-For
			// chain with one more hop.
			pr.Out.Host = pr.In.Host
			if ip, _, err := net.SplitHostPort(pr.In.RemoteAddr); err == nil {
				pr.Out.Header.Set("X-Forwarded-For", strings.Join(append(pr.In.Header.Values("X-Forwarded-For"), ip), ", "))
			}
		},
		// Flush at once: templ streams pages, and nothing here should buffer.
		FlushInterval: -1,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			writePage(w, http.StatusInternalServerError, page{
				Title: "The shopcard server did not answer",
				Hint:  "It may have just stopped or restarted. This page reloads by itself when dev mode has a server running again.",
				Sections: []section{{
					Heading: r.Method + " " + r.URL.RequestURI(),
					Output:  err.Error(),
				}},
			})
		},
	}
	return f
}

type targetKey struct{}

// Building says a build (or a restart) has begun: requests wait for it.
func (f *Front) Building() {
	f.update(func(s *frontState) { s.busy = true })
}

// Serving says the server at target is up: requests go to it.
func (f *Front) Serving(target *url.URL) {
	// Connections kept to the last server lead nowhere now.
	f.transport.CloseIdleConnections()
	f.update(func(s *frontState) { s.busy, s.target, s.failure = false, target, Problem{} })
}

// Failed says there is no server to go to, and why: every request gets
// the problem's page, with status 500.
func (f *Front) Failed(p Problem) {
	f.update(func(s *frontState) { s.busy, s.target, s.failure = false, nil, p })
}

// SetTemplErrors replaces templ's errors, by .templ file; none clears them.
// It reports whether they changed, so that the browser reloads only then.
func (f *Front) SetTemplErrors(errs map[string]string) bool {
	changed := false
	f.update(func(s *frontState) {
		if !maps.Equal(s.templ, errs) {
			changed = true
			s.templ = errs
		}
	})
	return changed
}

func (f *Front) update(change func(*frontState)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(&f.st)
	close(f.changed)
	f.changed = make(chan struct{})
}

// ServeHTTP answers as the shopcard server would, once it is up.
func (f *Front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st := f.settled(r.Context())
	if pg, ok := st.problemPage(); ok {
		writePage(w, http.StatusInternalServerError, pg)
		return
	}
	switch {
	case st.busy:
		writePage(w, http.StatusServiceUnavailable, page{
			Title: "Still building",
			Hint:  "shopcard dev is building or starting the server. This page reloads by itself when it is ready.",
		})
	case st.target == nil:
		// Not reached: without a server, the state is busy or failed.
		writePage(w, http.StatusServiceUnavailable, page{Title: "No server is running", Hint: "Save a Go file to rebuild and start it."})
	default:
		f.proxy.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), targetKey{}, st.target)))
	}
}

// settled waits, up to holdFor, for no build or restart to be under way,
// and returns the state then.
func (f *Front) settled(ctx context.Context) frontState {
	timeout := time.NewTimer(f.holdFor)
	defer timeout.Stop()
	for {
		f.mu.Lock()
		st, changed := f.st, f.changed
		f.mu.Unlock()
		if !st.busy {
			return st
		}
		f.held.Add(1)
		select {
		case <-changed:
			f.held.Add(-1)
		case <-timeout.C:
			f.held.Add(-1)
			return st
		case <-ctx.Done():
			f.held.Add(-1)
			return st
		}
	}
}

// problemPage is what the browser should see instead of a page, if
// anything: templ's errors first, since they are the cause whenever there
// are any, then the build's or the server's.
func (s frontState) problemPage() (page, bool) {
	if len(s.templ) == 0 {
		if s.failure.Title == "" {
			return page{}, false
		}
		return s.failure.page(), true
	}
	pg := page{Title: "templ cannot generate your views", Hint: "Fix the template and save: templ regenerates it and this page reloads by itself. Until then the server runs the last views that generated."}
	files := slices.Sorted(maps.Keys(s.templ))
	for _, file := range files {
		pg.Sections = append(pg.Sections, section{Heading: file, Output: s.templ[file]})
	}
	if s.failure.Title != "" {
		pg.Sections = append(pg.Sections, section{Heading: s.failure.Title, Output: s.failure.Output})
	}
	return pg, true
}

// Problem is a failure the browser shows in place of every page: a build
// that failed, a server that exited.
type Problem struct {
	// Title says what failed, in a few words.
	Title string
	// Hint says what to do about it.
	Hint string
	// Output is what the compiler or the server printed.
	Output string
}

func (p Problem) page() page {
	return page{Title: p.Title, Hint: p.Hint, Sections: []section{{Output: p.Output}}}
}
