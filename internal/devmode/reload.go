package devmode

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"
)

// notifyProxy tells templ's proxy to reload every page it serves, as
// `templ generate -notify-proxy` does, by the same request to the proxy's
// reload endpoint; making it here saves starting `go tool templ` (a few
// hundred milliseconds) on every reload. Until the proxy is up no browser
// is connected to it, so a failed notice loses nothing.
func notifyProxy(ctx context.Context, proxyPort int) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	url := fmt.Sprintf("http://127.0.0.1:%d/_templ/reload/events", proxyPort)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		return
	}
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
}

// reloadOnChange reloads the browser whenever the built stylesheet
// changes, since Tailwind rebuilds outside templ's watch.
func reloadOnChange(ctx context.Context, path string, reload func()) {
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
			reload()
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
