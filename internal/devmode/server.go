package devmode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Server builds a Go program and runs it behind a Front, rebuilding and
// restarting it whenever the files it is built from change. Dev mode's
// server is shopcard itself, run as `shopcard demo --dev`.
type Server struct {
	// Dir holds the main package to build; the program runs there too.
	Dir string
	// Binary is where the build goes; a build is written next to it first,
	// so that a failed build leaves nothing half-written.
	Binary string
	// BuildFlags go to `go build` before the package.
	BuildFlags []string
	// Args returns the program's arguments for the loopback address it is
	// to listen on, a free port chosen at each start.
	Args func(addr string) []string
	// Env is the program's environment, and the build's.
	Env []string
	// ReadyPath is polled on the program until it answers 200: until then
	// requests wait.
	ReadyPath string
	// Front answers for the program.
	Front *Front
	// Reload tells the browser to reload, once what it would see changed.
	Reload func()
	// Stdout receives dev mode's one-line reports, and the standard
	// output of the program's first start (but not its goodbye): later
	// starts would only repeat its banner.
	Stdout io.Writer
	// Stderr receives build failures and the program's standard error.
	Stderr io.Writer

	// BeforeStart, if set, runs before every start of the program (not
	// before its builds); an error it returns is the start's.
	BeforeStart func(ctx context.Context) error

	// StartTimeout bounds how long the program may take to become ready.
	StartTimeout time.Duration
	// StopTimeout bounds how long the program may take to stop after an
	// interrupt, before it is killed.
	StopTimeout time.Duration

	child  *child
	starts int
}

// child is the running program.
type child struct {
	cmd    *exec.Cmd
	url    *url.URL
	exited chan error // receives Wait's result once
	output *tail
	banner *gate // its standard output on the way to Stdout
}

// Run builds and starts the program, then rebuilds and restarts it on
// every change changes reports, until ctx ends; it stops the program on
// the way out. Build failures and a program that exits do not end it: the
// browser shows them until a change fixes them.
func (s *Server) Run(ctx context.Context, changes *Pending) {
	defer s.stop()
	var why []string
	for {
		s.rebuild(ctx, changes, why)
		var exited chan error
		if s.child != nil {
			exited = s.child.exited
		}
		select {
		case <-ctx.Done():
			return
		case <-changes.Ready():
			why = changes.Take()
		case err := <-exited:
			// The program stopped by itself: a panic, a fatal error at
			// startup. It stays stopped until the next change rebuilds it,
			// since starting the same binary again would end the same way.
			out := s.child.output.String()
			s.child = nil
			fmt.Fprintf(s.Stderr, "shopcard dev: the server exited (%v); the browser shows its last output. Save a file to rebuild and restart it.\n", err)
			s.Front.Failed(exitProblem(err, out))
			s.Reload()
			select {
			case <-ctx.Done():
				return
			case <-changes.Ready():
				why = changes.Take()
			}
		}
	}
}

// rebuild builds the program and, if that works, restarts it. Requests
// wait meanwhile; the browser reloads when it is done either way.
func (s *Server) rebuild(ctx context.Context, changes *Pending, why []string) {
	s.Front.Building()
	start := time.Now()
	out, why, err := s.build(ctx, changes, why)
	if ctx.Err() != nil {
		return
	}
	// Whichever way the build went, the old program has had its day: its
	// code is not what the files say any more.
	s.stop()
	if err != nil {
		fmt.Fprintf(s.Stderr, "shopcard dev: %sthe build failed; the browser shows it too:\n%s\n", changed(why), out)
		s.Front.Failed(Problem{
			Title:  "The Go build failed",
			Hint:   "Fix it and save: shopcard dev rebuilds, and this page reloads by itself.",
			Output: out,
		})
		s.Reload()
		return
	}
	built := time.Now()
	if err := s.start(ctx); err != nil {
		if ctx.Err() != nil {
			return
		}
		fmt.Fprintf(s.Stderr, "shopcard dev: %sthe server did not start: %v\n", changed(why), err)
		var p *startProblem
		if errors.As(err, &p) {
			s.Front.Failed(p.Problem)
		} else {
			s.Front.Failed(Problem{Title: "The server did not start", Hint: "Save a file to try again.", Output: err.Error()})
		}
		s.Reload()
		return
	}
	verb := "rebuilt in %s and restarted in %s"
	if s.starts == 1 {
		verb = "built in %s and started in %s"
	}
	fmt.Fprintf(s.Stdout, "shopcard dev: %s"+verb+"\n", changed(why), built.Sub(start).Round(100*time.Millisecond), time.Since(built).Round(100*time.Millisecond))
	s.Front.Serving(s.child.url)
	s.Reload()
}

// changed names what changed, for dev mode's report of a rebuild.
func changed(files []string) string {
	files = slices.Compact(slices.Sorted(slices.Values(files)))
	switch len(files) {
	case 0:
		return ""
	case 1:
		return files[0] + " changed; "
	default:
		return fmt.Sprintf("%s and %d more changed; ", files[0], len(files)-1)
	}
}

// build runs `go build`, starting over whenever another change arrives
// before it ends: an editor that saves several files, or templ
// regenerating one, should cost one restart, of the newest code. It
// returns the compiler's output and the changes it covers.
func (s *Server) build(ctx context.Context, changes *Pending, why []string) (string, []string, error) {
	for {
		bctx, cancel := context.WithCancel(ctx)
		type result struct {
			out string
			err error
		}
		done := make(chan result, 1)
		go func() {
			out, err := s.goBuild(bctx)
			done <- result{out, err}
		}()
		select {
		case r := <-done:
			cancel()
			return r.out, why, r.err
		case <-changes.Ready():
			cancel()
			<-done
			why = append(why, changes.Take()...)
		case <-ctx.Done():
			cancel()
			<-done
			return "", why, ctx.Err()
		}
	}
}

// goBuild builds the program into Binary.
func (s *Server) goBuild(ctx context.Context) (string, error) {
	next := s.Binary + ".next"
	args := append(append([]string{"build", "-o", next}, s.BuildFlags...), ".")
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir, cmd.Env = s.Dir, s.Env
	// An interrupt lets the go command clean up its work directory.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	text := strings.TrimSpace(string(out))
	if err != nil {
		if text == "" {
			text = err.Error()
		}
		return text, fmt.Errorf("go build: %w", err)
	}
	// Renaming over the binary is safe while the old program still runs
	// from it: the program keeps the file it started from.
	if err := os.Rename(next, s.Binary); err != nil {
		return err.Error(), err
	}
	return text, nil
}

// startProblem is a start that failed in a way the browser should show.
type startProblem struct{ Problem }

func (p *startProblem) Error() string { return p.Title }

// start runs the program on a free loopback port and waits until it is
// ready, or has exited, or StartTimeout has passed.
func (s *Server) start(ctx context.Context) error {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return err
	}
	if s.BeforeStart != nil {
		if err := s.BeforeStart(ctx); err != nil {
			return err
		}
	}
	out := newTail(32 << 10)
	cmd := exec.Command(s.Binary, s.Args(addr)...)
	cmd.Dir, cmd.Env = s.Dir, s.Env
	s.starts++
	// The first start's banner is worth reading once; the same banner on
	// every restart is not.
	banner := &gate{w: s.Stdout}
	banner.open.Store(s.starts == 1)
	cmd.Stdout = io.MultiWriter(banner, out)
	cmd.Stderr = io.MultiWriter(s.Stderr, out)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", s.Binary, err)
	}
	c := &child{cmd: cmd, url: &url.URL{Scheme: "http", Host: addr}, exited: make(chan error, 1), output: out, banner: banner}
	go func() { c.exited <- cmd.Wait() }()
	s.child = c

	ready := c.url.JoinPath(s.ReadyPath).String()
	// A connection per probe, so that none is left open to a program
	// that is about to be replaced.
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := time.NewTimer(s.StartTimeout)
	defer deadline.Stop()
	poll := time.NewTicker(50 * time.Millisecond)
	defer poll.Stop()
	for {
		if resp, err := client.Get(ready); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-c.exited:
			s.child = nil
			return &startProblem{exitProblem(err, out.String())}
		case <-deadline.C:
			s.stop()
			return &startProblem{Problem{
				Title:  fmt.Sprintf("The server was not ready within %s", s.StartTimeout),
				Hint:   fmt.Sprintf("It never answered %s with 200. Its output is below; save a file to rebuild and try again.", s.ReadyPath),
				Output: out.String(),
			}}
		case <-ctx.Done():
			s.stop()
			return ctx.Err()
		case <-poll.C:
		}
	}
}

// exitProblem is the page for a program that exited by itself.
func exitProblem(err error, output string) Problem {
	if err == nil {
		err = errors.New("exit status 0")
	}
	return Problem{
		Title: fmt.Sprintf("The shopcard server exited (%v)", err),
		Hint: "Its last output is below. Fix the code and save: shopcard dev rebuilds and restarts it, and this page reloads by itself. " +
			"If the dev database is the trouble (say, it has a migration you took back), stop dev mode and start it again with `go run . dev --reset`.",
		Output: output,
	}
}

// stop interrupts the program, as Ctrl+C would, so that it shuts down
// cleanly and closes the database, and kills it if it takes too long.
func (s *Server) stop() {
	c := s.child
	if c == nil {
		return
	}
	s.child = nil
	// Its "stopped" is dev mode's business, not the designer's.
	c.banner.open.Store(false)
	c.cmd.Process.Signal(os.Interrupt)
	select {
	case <-c.exited:
	case <-time.After(s.StopTimeout):
		c.cmd.Process.Kill()
		<-c.exited
	}
}

// freeLoopbackAddr returns a loopback address with a port nothing listens
// on now. Another process could take it before the program does, but on a
// designer's machine that is rare, and the program's start then fails
// with a message that says so, shown in the browser.
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free loopback port for the dev server: %w", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr, nil
}

// Pending collects the files that changed until the server takes them, so
// that a burst of saves is one rebuild.
type Pending struct {
	mu    sync.Mutex
	files []string
	ready chan struct{}
}

// NewPending returns an empty Pending.
func NewPending() *Pending { return &Pending{ready: make(chan struct{}, 1)} }

// Add records changed files.
func (p *Pending) Add(files ...string) {
	if len(files) == 0 {
		return
	}
	p.mu.Lock()
	p.files = append(p.files, files...)
	p.mu.Unlock()
	select {
	case p.ready <- struct{}{}:
	default:
	}
}

// Ready receives when there are files to take.
func (p *Pending) Ready() <-chan struct{} { return p.ready }

// Take returns the files recorded since the last Take, and forgets them.
func (p *Pending) Take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	files := p.files
	p.files = nil
	return files
}

// tail keeps the last bytes a program wrote, for the page that shows why
// it exited.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func newTail(max int) *tail { return &tail{max: max} }

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// gate passes writes on while it is open, and drops them after.
type gate struct {
	w    io.Writer
	open atomic.Bool
}

func (g *gate) Write(p []byte) (int, error) {
	if g.open.Load() {
		g.w.Write(p)
	}
	return len(p), nil
}
