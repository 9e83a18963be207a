// Package devmode is `shopcard dev`, the designer mode: templ regenerates
// the views and reloads the browser through its live-reload proxy,
// Tailwind rebuilds the stylesheet, and dev mode builds the shopcard
// server itself on every Go change and restarts it behind a front server
// that holds requests during a build and shows the compiler's errors in
// the browser. The demo's database is kept across restarts, so the demo
// data and the admin's session survive an edit.
package devmode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"time"
)

// Options are what `shopcard dev` is run with.
type Options struct {
	// ConfigPath names the settings file, templ.config, relative to the
	// repository root, where dev mode runs.
	ConfigPath string
	// Reset deletes the dev database and its key first, for a fresh demo.
	Reset bool
	// Getenv reads the designer's environment: what they set for the
	// server (SHOPCARD_LOG_LEVEL, say) wins over dev mode's defaults.
	Getenv func(string) string
	// Stdout and Stderr are where dev mode, and the processes it runs,
	// write.
	Stdout, Stderr io.Writer
}

// Timings dev mode runs with.
const (
	// holdFor bounds how long a request waits for a build; the first
	// build of a fresh clone can take longer, and the page then says so.
	holdFor = 15 * time.Second
	// pollEvery is how often the tree is scanned for changes. A tenth of a
	// second keeps a Go edit's rebuild ahead of the reload templ sends for
	// a regenerated template, which comes at least that long after.
	pollEvery = 100 * time.Millisecond
)

// Run runs designer mode until ctx ends or SIGINT/SIGTERM arrives, as the
// README's "Designer mode" describes. If templ, Tailwind or the front
// server stops, dev mode stops and says which; the shopcard server it runs
// may fail to build or exit, which the browser shows until the next save.
func Run(ctx context.Context, o Options) error {
	f, err := os.Open(o.ConfigPath)
	if err != nil {
		return fmt.Errorf("dev mode reads %s from the repository root: %w", o.ConfigPath, err)
	}
	cfg, err := ParseConfig(f)
	f.Close()
	if err != nil {
		return err
	}
	rebuild := regexp.MustCompile(cfg.WatchPattern) // ParseConfig compiled it
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return errors.New("dev mode builds the server from the current directory: run it from the repository root")
	}
	tailwind := filepath.Join("node_modules", ".bin", "tailwindcss")
	if _, err := os.Stat(tailwind); err != nil {
		return errors.New("dev mode needs the Tailwind CLI: run `npm ci` in the repository root first")
	}
	if o.Reset {
		if err := resetDevDB(cfg.DevDB); err != nil {
			return err
		}
		fmt.Fprintf(o.Stdout, "shopcard dev: deleted the dev database %s and its key; the demo starts afresh\n", cfg.DevDB)
	}
	devDir := filepath.Dir(cfg.DevDB)
	if err := os.MkdirAll(devDir, 0o700); err != nil {
		return fmt.Errorf("create the dev database's directory: %w", err)
	}
	binDir, err := os.MkdirTemp("", "shopcard-dev-")
	if err != nil {
		return fmt.Errorf("create a directory for the dev server's binary: %w", err)
	}
	defer os.RemoveAll(binDir)
	// templ starts its proxy only after its watcher has seen a change, and
	// it watches only .templ files here (dev mode rebuilds for Go files),
	// none of which has changed at startup. A file of dev mode's own that
	// matches its watch pattern is that first change.
	proxyStart, err := filepath.Abs(filepath.Join(devDir, "templ-proxy-start"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(proxyStart, []byte("templ's watcher sees this file at startup, which starts its proxy (internal/devmode).\n"), 0o600); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	startedAt := time.Now()

	ln, err := net.Listen("tcp", cfg.AppAddr)
	if err != nil {
		return fmt.Errorf("dev mode's front server cannot listen on app_addr %s (is another shopcard dev running? stop it, or change app_addr in %s): %w", cfg.AppAddr, o.ConfigPath, err)
	}
	// The fake Shopify keeps its address across restarts, so that the
	// commands the demo's banner prints, once, keep working.
	fakeAddr, err := freeLoopbackAddr()
	if err != nil {
		ln.Close()
		return err
	}
	front := NewFront(holdFor)
	frontSrv := &http.Server{Handler: front, ReadHeaderTimeout: 10 * time.Second}

	proxyPort := strconv.Itoa(cfg.ProxyPort)
	proxyURL := "http://127.0.0.1:" + proxyPort
	reload := func() { notifyProxy(ctx, cfg.ProxyPort) }

	tailwindOut := newLineFilter(o.Stderr, tailwindProgress)
	defer tailwindOut.Flush()
	templOut := newLineFilter(o.Stderr, templShutdown)
	defer templOut.Flush()
	procs := []struct {
		name string
		cmd  *exec.Cmd
		out  io.Writer // its stdout and stderr
		env  []string  // added to dev mode's environment
	}{
		// Minified like `npm run build:css`, so that the stylesheet dev mode
		// leaves behind is the one to commit. Browserslist's "caniuse-lite
		// is outdated" notice is about npm's lock file, not the designer's
		// work.
		{"the Tailwind watcher", exec.CommandContext(ctx, tailwind, "--config", "tailwind.config.js", "--input", cfg.TailwindInput, "--output", cfg.TailwindOutput, "--watch", "--minify"),
			tailwindOut, []string{"BROWSERSLIST_IGNORE_OLD_DATA=1"}},
		// No -cmd: dev mode builds and restarts the server itself. At log
		// level warn templ still prints its errors and warnings, but not a
		// line per file it watches or per change it handles.
		{"templ generate -watch", exec.CommandContext(ctx, "go", "tool", "templ", "generate", "-watch",
			"-watch-pattern", `(.+\.templ$)|(^`+regexp.QuoteMeta(proxyStart)+`$)`,
			"-proxy", "http://"+cfg.AppAddr,
			"-proxyport", proxyPort,
			"-open-browser=false",
			"-log-level", "warn"),
			templOut, nil},
	}
	type exit struct {
		name string
		err  error
	}
	exited := make(chan exit, len(procs)+1)
	started := 0
	// abandon stops what has started, when dev mode cannot go on.
	abandon := func(err error) error {
		stop()
		ln.Close()
		for range started {
			<-exited
		}
		return err
	}
	for _, p := range procs {
		p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
		if p.env != nil {
			p.cmd.Env = append(os.Environ(), p.env...)
		}
		// Tailwind's watcher quits when its stdin ends, which a command's
		// default stdin (/dev/null) does at once. A pipe that stays open
		// while dev mode runs keeps it going, and still ends it if dev mode
		// dies without stopping it.
		if _, err := p.cmd.StdinPipe(); err != nil {
			return abandon(err)
		}
		p.cmd.Cancel = func() error { return p.cmd.Process.Signal(os.Interrupt) }
		p.cmd.WaitDelay = 5 * time.Second
		if err := p.cmd.Start(); err != nil {
			return abandon(fmt.Errorf("start %s: %w", p.name, err))
		}
		started++
		go func() { exited <- exit{p.name, p.cmd.Wait()} }()
	}
	watcher, first, err := NewWatcher(root, rebuild)
	if err != nil {
		return abandon(fmt.Errorf("scan the repository for changes: %w", err))
	}
	templErrors := map[string]string{}
	checkTemplates(root, first.Templ, templErrors)
	front.SetTemplErrors(maps.Clone(templErrors))

	go func() {
		err := frontSrv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		exited <- exit{"the front server on " + cfg.AppAddr, err}
	}()

	changes := NewPending()
	templTextWritten := false // only the Server's goroutine reads and writes it
	server := &Server{
		Dir:    root,
		Binary: filepath.Join(binDir, "shopcard-dev"),
		// Without DWARF the link, most of a rebuild after a small edit,
		// takes about a second less here. Panics still show file and line,
		// which come from the runtime's own tables.
		BuildFlags: []string{"-ldflags=-w"},
		Args: func(addr string) []string {
			return []string{"demo", "--dev", "--db", cfg.DevDB, "--fake-addr", fakeAddr, "--addr", addr}
		},
		Env:          serverEnv(o.Getenv, root, proxyURL),
		ReadyPath:    "/readyz",
		Front:        front,
		Reload:       reload,
		Stdout:       o.Stdout,
		Stderr:       o.Stderr,
		StartTimeout: time.Minute,
		StopTimeout:  5 * time.Second,
		BeforeStart: func(ctx context.Context) error {
			if !templTextWritten {
				waitForTemplText(ctx, root, startedAt, 30*time.Second)
				templTextWritten = true
			}
			// Deleting tmp/dev/ while dev mode runs resets the demo at the
			// next restart, as --reset would.
			if err := os.MkdirAll(devDir, 0o700); err != nil {
				return fmt.Errorf("create the dev database's directory: %w", err)
			}
			return nil
		},
	}
	serverDone := make(chan struct{})
	go func() {
		defer close(serverDone)
		server.Run(ctx, changes)
	}()
	go watch(ctx, watcher, pollEvery, changes, front, templErrors, reload, o.Stderr)
	go reloadOnChange(ctx, cfg.TailwindOutput, reload)

	fmt.Fprintf(o.Stdout, "shopcard dev: open %s/dev/components (live reload) or %s/demo\n", proxyURL, proxyURL)
	fmt.Fprintf(o.Stdout, "shopcard dev: the dev database %s is kept across restarts; `go run . dev --reset` starts afresh\n", cfg.DevDB)

	running := len(procs) + 1
	var stopped error
	select {
	case <-ctx.Done():
	case x := <-exited:
		running--
		// Without any one of them dev mode no longer does its job, so it
		// stops, and says which one ended unless it was told to stop.
		if ctx.Err() == nil {
			stopped = fmt.Errorf("%s stopped (%v), so dev mode stopped too", x.name, x.err)
		}
		stop()
	}
	<-serverDone
	shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	frontSrv.Shutdown(shutdown)
	cancel()
	frontSrv.Close()
	for range running {
		<-exited
	}
	return stopped
}

// serverEnv is the dev server's environment: the designer's, with dev
// mode's defaults where the designer set nothing.
func serverEnv(getenv func(string) string, root, proxyURL string) []string {
	env := os.Environ()
	// Only warnings and errors, not a line per request: the designer asks
	// for those with SHOPCARD_LOG_LEVEL=info.
	if getenv("SHOPCARD_LOG_LEVEL") == "" {
		env = append(env, "SHOPCARD_LOG_LEVEL=warn")
	}
	// Where the browser reaches the server, for OAuth's return and the
	// fake Shopify's webhooks: through templ's proxy, so that pages reached
	// that way reload too.
	if getenv("SHOPCARD_PUBLIC_URL") == "" {
		env = append(env, "SHOPCARD_PUBLIC_URL="+proxyURL)
	}
	// templ's watch mode: the server reads the text of the templates from
	// the files templ's watcher writes, so that a text edit shows without
	// a rebuild. templ sets these for a -cmd it runs; dev mode runs the
	// server itself. The root is resolved as templ's runtime resolves it.
	if resolved, err := filepath.EvalSymlinks(root); err == nil {
		root = resolved
	}
	return append(env, "TEMPL_DEV_MODE=true", "TEMPL_DEV_MODE_WATCH_ROOT="+root)
}
