package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

var (
	hxGetPattern     = regexp.MustCompile(`hx-get="([^"]+)"[^>]*hx-trigger="load"`)
	hxHeadersPattern = regexp.MustCompile(`hx-headers="([^"]+)"`)
	statePattern     = regexp.MustCompile(`data-testid="section-body" data-state="([a-z-]+)"`)
)

// SidebarLoad is one sidebar opened the way a browser with htmx opens it.
type SidebarLoad struct {
	Page     time.Duration            // until the page arrived
	Total    time.Duration            // until the last section arrived
	Sections map[string]time.Duration // fragment URL → when it arrived
	States   map[string]string        // fragment URL → its data-state ("loaded", "timeout", …)
}

// LoadSidebar fetches the sidebar page, then every lazily loading section in
// parallel with the token header from hx-headers, as htmx does on load.
func LoadSidebar(ctx context.Context, client *http.Client, pageURL string) (SidebarLoad, error) {
	start := time.Now()
	body, err := get(ctx, client, pageURL, nil)
	if err != nil {
		return SidebarLoad{}, err
	}
	res := SidebarLoad{Page: time.Since(start), Sections: map[string]time.Duration{}, States: map[string]string{}}
	headers := map[string]string{"HX-Request": "true"}
	if m := hxHeadersPattern.FindStringSubmatch(body); m != nil {
		var h map[string]string
		if err := json.Unmarshal([]byte(htmlUnescape(m[1])), &h); err != nil {
			return res, fmt.Errorf("hx-headers: %w", err)
		}
		for k, v := range h {
			headers[k] = v
		}
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return res, err
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for _, m := range hxGetPattern.FindAllStringSubmatch(body, -1) {
		ref, err := base.Parse(htmlUnescape(m[1]))
		if err != nil {
			return res, err
		}
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			body, err := get(ctx, client, u, headers)
			arrived := time.Since(start)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && first == nil {
				first = err
			}
			res.Sections[u] = arrived
			if m := statePattern.FindStringSubmatch(body); m != nil {
				res.States[u] = m[1]
			}
		}(ref.String())
	}
	wg.Wait()
	res.Total = time.Since(start)
	if len(res.Sections) == 0 {
		return res, fmt.Errorf("the page has no lazily loading sections")
	}
	return res, first
}

func get(ctx context.Context, client *http.Client, u string, headers map[string]string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %s", req.URL.Path, resp.Status)
	}
	return string(b), nil
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&quot;", `"`, "&amp;", "&", "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(s)
}
