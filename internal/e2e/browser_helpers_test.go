package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"shopcard/fakeshopify"
)

// sidebarStack is the product as an inbox sees it: shopcard serving (run()
// on a free port) against the fake Shopify, a workspace with the three fake
// stores connected through the CLI, and two inbox pages on origins of their
// own: one the workspace allows to frame the sidebar, one it doesn't.
type sidebarStack struct {
	fake       *fakeshopify.Server
	base       string // shopcard
	allowed    string // an inbox origin in SHOPCARD_FRAME_ANCESTORS
	disallowed string // an inbox origin that isn't
	db         string
	getenv     func(string) string
}

const (
	stackWorkspace     = "acme-support"
	stackAdminEmail    = "ada@acme.example"
	stackAdminPassword = "a long enough password"
)

func startSidebarStack(tb testing.TB) *sidebarStack {
	tb.Helper()
	fake := fakeshopify.NewSeeded(nil)
	fakeSrv := httptest.NewServer(fake)
	tb.Cleanup(fakeSrv.Close)
	allowed := httptest.NewServer(http.HandlerFunc(inboxPage))
	tb.Cleanup(allowed.Close)
	disallowed := httptest.NewServer(http.HandlerFunc(inboxPage))
	tb.Cleanup(disallowed.Close)

	s := &sidebarStack{fake: fake, allowed: allowed.URL, disallowed: disallowed.URL, db: filepath.Join(tb.TempDir(), "browser.db")}
	s.getenv = testGetenv(map[string]string{
		"SHOPCARD_SHOPIFY_URL":     fakeSrv.URL + fakeshopify.ShopURLTemplate,
		"SHOPCARD_FRAME_ANCESTORS": allowed.URL,
		"SHOPCARD_LOG_LEVEL":       "warn",
	})
	if out, err := runCLI(tb, s.getenv, "", "workspace", "create", stackWorkspace, "--db", s.db); err != nil {
		tb.Fatalf("workspace create: %v\n%s", err, out)
	}
	for _, st := range []struct{ domain, token string }{
		{fakeshopify.AcmeDomain, fakeshopify.AcmeToken},
		{fakeshopify.NordicDomain, fakeshopify.NordicToken},
		{fakeshopify.SakuraDomain, fakeshopify.SakuraToken},
	} {
		if out, err := runCLI(tb, s.getenv, st.token+"\n", "stores", "add", "--workspace", stackWorkspace, "--domain", st.domain, "--db", s.db); err != nil {
			tb.Fatalf("stores add %s: %v\n%s", st.domain, err, out)
		}
	}
	if out, err := runCLI(tb, s.getenv, stackAdminPassword+"\n", "admin", "create", "--workspace", stackWorkspace, "--email", stackAdminEmail, "--db", s.db); err != nil {
		tb.Fatalf("admin create: %v\n%s", err, out)
	}
	s.base, _ = startServer(tb, s.getenv, s.db)
	return s
}

// sidebarURL mints a token for a contact, as an inbox's server would, and
// returns the sidebar's URL.
func (s *sidebarStack) sidebarURL(tb testing.TB, email, name, theme string) string {
	tb.Helper()
	out, err := runCLI(tb, s.getenv, "", "token", "--workspace", stackWorkspace, "--email", email, "--name", name, "--db", s.db)
	if err != nil {
		tb.Fatalf("token: %v\n%s", err, out)
	}
	q := url.Values{"token": {strings.TrimSpace(out)}}
	if theme != "" {
		q.Set("theme", theme)
	}
	return s.base + "/sidebar?" + q.Encode()
}

// inboxURL is an inbox page on origin that frames the sidebar at src.
func inboxURL(origin, src string) string {
	return origin + "/inbox?" + url.Values{"src": {src}}.Encode()
}

// narrowInboxURL is an inbox page whose sidebar frame is px wide.
func narrowInboxURL(origin, src string, px int) string {
	return origin + "/inbox?" + url.Values{"src": {src}, "width": {strconv.Itoa(px)}}.Encode()
}

// inboxPage is a stand-in for a support inbox: a conversation, and the
// sidebar in an iframe of a rep's sidebar width.
func inboxPage(w http.ResponseWriter, r *http.Request) {
	width := 360
	if n, err := strconv.Atoi(r.URL.Query().Get("width")); err == nil && n >= 200 && n <= 1000 {
		width = n
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Inbox</title></head>
<body><h1>Conversation</h1><p>Hello, where is my order?</p>
<iframe id="sidebar" title="Shopify" src="%s" width="%d" height="800"></iframe></body></html>`, html.EscapeString(r.URL.Query().Get("src")), width)
}

// step runs actions and fails the test with the step's name when one fails.
func step(tb testing.TB, ctx context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
}

// frameNode is the sidebar's iframe element on the inbox page, for queries
// inside it with chromedp.FromNode. The inbox and shopcard are on one site
// (127.0.0.1, other ports), so Chromium keeps the frame in the page's
// process, where FromNode reaches.
func frameNode(tb testing.TB, ctx context.Context) *chromedp.Node {
	tb.Helper()
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS(`iframe#sidebar`)))
	if err != nil || len(nodes) != 1 {
		tb.Fatalf("the inbox's iframe: %d, %v", len(nodes), err)
	}
	return nodes[0]
}

// childFrames lists the frames under the page's main frame.
func childFrames(tb testing.TB, ctx context.Context) []*cdp.Frame {
	tb.Helper()
	tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		tb.Fatalf("frame tree: %v", err)
	}
	var out []*cdp.Frame
	for _, c := range tree.FrameTree.ChildFrames {
		out = append(out, c.Frame)
	}
	return out
}

// emulateColorScheme makes the page's prefers-color-scheme light or dark.
func emulateColorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

// runAtDocumentStart runs a script in every document the tab loads from
// now on, in every frame, before the page's own scripts. Scripts run this
// way are not subject to the page's Content-Security-Policy.
func runAtDocumentStart(script string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
		return err
	})
}

// axeViolation is one rule axe-core found broken, with where.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axeScript is axe-core from npm (package.json's devDependencies; `npm ci`
// installs it). The test hands it to the page itself, so the product never
// serves it.
func axeScript(tb testing.TB) string {
	tb.Helper()
	axeOnce.Do(func() {
		var b []byte
		b, axeErr = os.ReadFile(filepath.Join("..", "..", "node_modules", "axe-core", "axe.min.js"))
		axeSource = string(b)
	})
	if axeErr != nil {
		msg := "axe-core is not installed: run `npm ci` in the repository root (" + axeErr.Error() + ")"
		if os.Getenv("SHOPCARD_REQUIRE_BROWSER") != "" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	return axeSource
}

// checkAccessibility runs axe-core on the page in the tab and fails the
// test for every violation of serious or critical impact.
func checkAccessibility(tb testing.TB, ctx context.Context, what string) {
	tb.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeScript(tb))); err != nil {
		tb.Fatalf("%s: load axe-core: %v", what, err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](
		`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations)`, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.Fatalf("%s: run axe-core: %v", what, err)
	}
	var violations []axeViolation
	if err := json.Unmarshal(raw, &violations); err != nil {
		tb.Fatalf("%s: axe-core's answer: %v", what, err)
	}
	for _, v := range violations {
		if v.Impact != "serious" && v.Impact != "critical" {
			continue
		}
		var where []string
		for i, n := range v.Nodes {
			if i == 5 {
				where = append(where, fmt.Sprintf("… and %d more", len(v.Nodes)-5))
				break
			}
			where = append(where, fmt.Sprintf("%v %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", " ")))
		}
		tb.Errorf("%s: %s (%s): %s\n    %s", what, v.ID, v.Impact, v.Help, strings.Join(where, "\n    "))
	}
}
