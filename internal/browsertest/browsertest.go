// Package browsertest starts Debian's Chromium for shopcard's browser tests,
// through chromedp. A test calls Start and gets a context whose actions run
// in a fresh headless browser with its own throwaway profile.
//
// Without a browser, tests skip with a message saying how to install one;
// when SHOPCARD_REQUIRE_BROWSER is set (.ci/run sets it), they fail
// instead, so CI can never pass by skipping them.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Environment variables the browser tests read.
const (
	// RequireEnv, when set to anything, turns "no browser" into a failure.
	RequireEnv = "SHOPCARD_REQUIRE_BROWSER"
	// PathEnv names the Chromium binary to use.
	PathEnv = "SHOPCARD_CHROMIUM"
)

// installHint is what a skipped test says.
const installHint = "install chromium: apt-get install chromium (or point SHOPCARD_CHROMIUM at a Chromium binary)"

// FindChromium returns the Chromium to run: SHOPCARD_CHROMIUM when set,
// else the first known name on PATH or in /usr/bin. It returns "" when none
// is found.
func FindChromium() string {
	if p := strings.TrimSpace(os.Getenv(PathEnv)); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if lp, err := exec.LookPath(p); err == nil {
			return lp
		}
		return ""
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/lib/chromium/chromium"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// Start launches a headless Chromium for tb and returns a context for
// chromedp actions, bounded by timeout. The browser starts with a fresh
// profile (removed afterwards), no sandbox (tests run as root in CI
// containers), no GPU and none of Chromium's background traffic, and stops
// when the test ends. Start skips the test when no Chromium is found, or
// fails it when SHOPCARD_REQUIRE_BROWSER is set.
func Start(tb testing.TB, timeout time.Duration) context.Context {
	tb.Helper()
	path := FindChromium()
	if path == "" {
		if os.Getenv(RequireEnv) != "" {
			tb.Fatalf("no Chromium found, and %s is set so browser tests must run: %s", RequireEnv, installHint)
		}
		tb.Skip("browser test skipped, no Chromium found: " + installHint)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 960),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	// The first action starts the browser; it must not carry the test's
	// deadline, or the browser would die with it before cleanup.
	if err := chromedp.Do(ctx); err != nil {
		cancelCtx()
		cancelAlloc()
		tb.Fatalf("start Chromium (%s): %v", path, err)
	}
	tctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	tb.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return tctx
}

// Console records what pages write to their console: errors, uncaught
// exceptions, and the browser's own log, where Content-Security-Policy
// violations show up.
type Console struct {
	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
}

// WatchConsole starts recording the console of the tab behind ctx, from now
// until ctx ends.
func WatchConsole(ctx context.Context) *Console {
	c := &Console{}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			c.mu.Lock()
			c.messages = append(c.messages, m)
			c.mu.Unlock()
		}
	}()
	return c
}

// Errors returns the errors and exceptions recorded so far, as text.
func (c *Console) Errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, m := range c.messages {
		if m.Type == chromedp.ConsoleError || m.IsException() {
			out = append(out, m.String()+" ("+m.URL+")")
		}
	}
	return out
}

// NoErrors fails the test if a page wrote an error or threw.
func (c *Console) NoErrors(tb testing.TB) {
	tb.Helper()
	for _, e := range c.Errors() {
		tb.Errorf("browser console: %s", e)
	}
}
