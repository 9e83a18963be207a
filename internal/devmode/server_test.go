package devmode

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// tinyServer is a whole Go program, built and run by the Server under
// test as dev mode builds and runs shopcard. %s is its body: what main
// does before it serves.
const tinyServer = `package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
)

const message = %s

func main() {
	addr := flag.String("addr", "", "")
	flag.Parse()
	fmt.Println("tiny server banner")
	if message == "exit" {
		fmt.Fprintln(os.Stderr, "tiny server: cannot open its <database>")
		os.Exit(3)
	}
	http.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ready") })
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "tiny says ", message) })
	http.ListenAndServe(*addr, nil)
}
`

// TestServerBuildsRunsAndRebuilds runs the Server and the Front against a
// real program, built from a temporary module: it serves, a broken build
// shows the compiler's output, a fix serves again, and a program that
// exits shows its last words.
func TestServerBuildsRunsAndRebuilds(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command to build the program")
	}
	dir := t.TempDir()
	writeProgram := func(message string) {
		t.Helper()
		src := strings.Replace(tinyServer, "%s", message, 1)
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module tiny\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeProgram(`"v1"`)

	front := NewFront(time.Minute)
	var reloads atomic.Int32
	var stdout, stderr syncBuffer
	s := &Server{
		Dir:          dir,
		Binary:       filepath.Join(t.TempDir(), "tiny"),
		BuildFlags:   []string{"-ldflags=-w"},
		Args:         func(addr string) []string { return []string{"-addr", addr} },
		Env:          append(os.Environ(), "GOWORK=off", "GOFLAGS=", "GOTOOLCHAIN=local"),
		ReadyPath:    "/readyz",
		Front:        front,
		Reload:       func() { reloads.Add(1) },
		Stdout:       &stdout,
		Stderr:       &stderr,
		StartTimeout: time.Minute,
		StopTimeout:  5 * time.Second,
	}
	changes := NewPending()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx, changes)
	}()
	defer func() {
		cancel()
		<-done
	}()
	srv := httptest.NewServer(front)
	defer srv.Close()

	fetch := func() (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	// The first request waits for the first build: no 503, no 502.
	if code, body := fetch(); code != http.StatusOK || body != "tiny says v1" {
		t.Fatalf("first answer: %d %q", code, body)
	}
	if r := reloads.Load(); r != 1 {
		t.Errorf("%d reloads after the first start, want 1", r)
	}
	if !strings.Contains(stdout.String(), "tiny server banner") || !strings.Contains(stdout.String(), "built in ") {
		t.Errorf("stdout after the first start: %q", stdout.String())
	}

	steps := []struct {
		name    string
		message string
		status  int
		want    []string
	}{
		{"a broken build", `"v2" + 1`, http.StatusInternalServerError, []string{"The Go build failed", "main.go:", "mismatched types untyped string and untyped int"}},
		{"the fix", `"v2"`, http.StatusOK, []string{"tiny says v2"}},
		{"a server that exits", `"exit"`, http.StatusInternalServerError, []string{"The shopcard server exited (exit status 3)", "cannot open its &lt;database&gt;"}},
		{"and its fix", `"v3"`, http.StatusOK, []string{"tiny says v3"}},
	}
	for _, st := range steps {
		before := reloads.Load()
		writeProgram(st.message)
		changes.Add("main.go")
		waitFor(t, st.name+" to reload the browser", func() bool { return reloads.Load() > before })
		code, body := fetch()
		if code != st.status {
			t.Errorf("%s: status %d, want %d:\n%s", st.name, code, st.status, body)
		}
		for _, w := range st.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the page lacks %q:\n%s", st.name, w, body)
			}
		}
	}
	if n := strings.Count(stdout.String(), "tiny server banner"); n != 1 {
		t.Errorf("the banner was printed %d times, want once:\n%s", n, stdout.String())
	}
	if !strings.Contains(stderr.String(), "the build failed") || !strings.Contains(stderr.String(), "cannot open its <database>") {
		t.Errorf("stderr does not report the failures:\n%s", stderr.String())
	}

	// Stopping dev mode stops the program.
	front.mu.Lock()
	running := front.st.target
	front.mu.Unlock()
	cancel()
	<-done
	if _, err := http.Get(running.JoinPath("readyz").String()); err == nil {
		t.Error("the program still answers after Run returned")
	}
}

// syncBuffer is a strings.Builder that the program's output goroutines and
// the test may use at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
