package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// cmdDev runs designer mode: templ regenerates on every .templ or .go change
// and restarts the dev server behind its live-reload proxy, Tailwind rebuilds
// the stylesheet, and each rebuilt stylesheet reloads the browser. All of it
// is configured by templ.config.
func cmdDev(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "dev", "dev [--config templ.config]")
	configPath := fs.String("config", "templ.config", "the dev settings file")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	f, err := os.Open(*configPath)
	if err != nil {
		return fmt.Errorf("dev mode reads %s from the repository root: %w", *configPath, err)
	}
	cfg, err := parseDevConfig(f)
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
	procs := []*exec.Cmd{
		exec.CommandContext(ctx, tailwind, "--config", "tailwind.config.js", "--input", cfg.TailwindInput, "--output", cfg.TailwindOutput, "--watch"),
		exec.CommandContext(ctx, "go", "tool", "templ", "generate", "-watch",
			"-watch-pattern", cfg.WatchPattern,
			"-proxy", "http://"+cfg.AppAddr,
			"-proxyport", proxyPort,
			"-open-browser=false",
			"-cmd", "go run . demo --dev --addr "+cfg.AppAddr),
	}
	exited := make(chan error, len(procs))
	for _, p := range procs {
		p.Stdout, p.Stderr = e.stdout, e.stderr
		p.Cancel = func() error { return p.Process.Signal(os.Interrupt) }
		p.WaitDelay = 5 * time.Second
		if err := p.Start(); err != nil {
			return fmt.Errorf("start %s: %w", p.Path, err)
		}
		go func() { exited <- p.Wait() }()
	}
	go reloadOnChange(ctx, cfg.TailwindOutput, proxyPort)
	fmt.Fprintf(e.stdout, "shopcard dev: open http://127.0.0.1:%s/dev/components (live reload) or http://127.0.0.1:%s/demo\n", proxyPort, proxyPort)

	select {
	case <-ctx.Done():
	case err := <-exited:
		stop()
		if err != nil && ctx.Err() == nil {
			return fmt.Errorf("a dev process stopped: %w", err)
		}
	}
	for range len(procs) - 1 {
		<-exited
	}
	return nil
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
