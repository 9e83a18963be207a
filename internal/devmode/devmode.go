// Package devmode is `shopcard dev`, the designer mode: templ regenerates
// templates and restarts the dev server behind its live-reload proxy,
// Tailwind rebuilds the stylesheet, and the browser reloads on each change.
package devmode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// Run runs designer mode until ctx ends or SIGINT/SIGTERM arrives: templ
// regenerates on every .templ or .go change and restarts the dev server
// behind its live-reload proxy, Tailwind rebuilds the stylesheet, and each
// rebuilt stylesheet reloads the browser. All of it is configured by the
// file at configPath (templ.config).
func Run(ctx context.Context, configPath string, stdout, stderr io.Writer) error {
	f, err := os.Open(configPath)
	if err != nil {
		return fmt.Errorf("dev mode reads %s from the repository root: %w", configPath, err)
	}
	cfg, err := ParseConfig(f)
	f.Close()
	if err != nil {
		return err
	}
	tailwind := filepath.Join("node_modules", ".bin", "tailwindcss")
	if _, err := os.Stat(tailwind); err != nil {
		return errors.New("dev mode needs the Tailwind CLI: run `npm ci` in the repository root first")
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	proxyPort := strconv.Itoa(cfg.ProxyPort)
	procs := []struct {
		name string
		cmd  *exec.Cmd
	}{
		// Minified like `npm run build:css`, so that the stylesheet dev mode
		// leaves behind is the one to commit.
		{"the Tailwind watcher", exec.CommandContext(ctx, tailwind, "--config", "tailwind.config.js", "--input", cfg.TailwindInput, "--output", cfg.TailwindOutput, "--watch", "--minify")},
		{"templ generate -watch", exec.CommandContext(ctx, "go", "tool", "templ", "generate", "-watch",
			"-watch-pattern", cfg.WatchPattern,
			"-proxy", "http://"+cfg.AppAddr,
			"-proxyport", proxyPort,
			"-open-browser=false",
			"-cmd", "go run . demo --dev --addr "+cfg.AppAddr)},
	}
	type exit struct {
		name string
		err  error
	}
	exited := make(chan exit, len(procs))
	for _, p := range procs {
		p.cmd.Stdout, p.cmd.Stderr = stdout, stderr
		// Tailwind's watcher quits when its stdin ends, which a command's
		// default stdin (/dev/null) does at once. A pipe that stays open
		// while dev mode runs keeps it going, and still ends it if dev mode
		// dies without stopping it.
		if _, err := p.cmd.StdinPipe(); err != nil {
			return err
		}
		p.cmd.Cancel = func() error { return p.cmd.Process.Signal(os.Interrupt) }
		p.cmd.WaitDelay = 5 * time.Second
		if err := p.cmd.Start(); err != nil {
			return fmt.Errorf("start %s: %w", p.name, err)
		}
		go func() { exited <- exit{p.name, p.cmd.Wait()} }()
	}
	go reloadOnChange(ctx, cfg.TailwindOutput, proxyPort)
	fmt.Fprintf(stdout, "shopcard dev: open http://127.0.0.1:%s/dev/components (live reload) or http://127.0.0.1:%s/demo\n", proxyPort, proxyPort)

	running := len(procs)
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
	for range running {
		<-exited
	}
	return stopped
}

// reloadOnChange asks templ's proxy to reload the browser whenever the
// built stylesheet changes, since Tailwind rebuilds outside templ's watch.
func reloadOnChange(ctx context.Context, path, proxyPort string) {
	last := modTime(path)
	tick := time.NewTicker(300 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if m := modTime(path); !m.Equal(last) {
			last = m
			exec.CommandContext(ctx, "go", "tool", "templ", "generate", "-notify-proxy", "-proxyport", proxyPort).Run()
		}
	}
}

func modTime(path string) time.Time {
	info, err := os.Stat(path)
	if err != nil {
		return time.Time{}
	}
	return info.ModTime()
}
