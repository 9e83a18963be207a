package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"shopcard/fakehelpdesk"
	"shopcard/fakeshopify"
	"shopcard/inbox"
	"shopcard/internal/apptest"
	"shopcard/internal/browsertest"
	"shopcard/internal/demo"
)

// forgeryWatcher runs at the start of every document, before the page's own
// scripts. In a shopcard app page (/apps/chatwoot, /apps/front,
// /apps/zendesk) it records, for each window message, where it came from
// and whether the page asked for a sidebar while handling it: its listener
// is added before the page's, so the page's runs after it in the same
// dispatch, and form.submit, the only way the page opens a sidebar, is
// wrapped to charge the submission to the message being dispatched
// (window.event). Each record is reported in a later task, once the
// dispatch is over, so its count is final: whether a forgery was dropped is
// read from an ordering, never from how long nothing happened.
const forgeryWatcher = `(() => {
  if (!/^\/apps\/[a-z]+$/.test(location.pathname)) return;
  const report = (ev) => { ev.path = location.pathname; setTimeout(() => window.shopcardAppEvent(ev), 0); };
  let seq = 0;
  report({type: "start"});
  window.addEventListener("message", (e) => {
    const record = {type: "message", seq: ++seq, origin: e.origin, fromParent: e.source === window.parent,
      data: typeof e.data === "string" ? e.data : JSON.stringify(e.data), submits: 0};
    e.shopcardRecord = record;
    report(record);
  });
  const submit = HTMLFormElement.prototype.submit;
  HTMLFormElement.prototype.submit = function () {
    const cause = window.event && window.event.shopcardRecord;
    if (cause) cause.submits++;
    report({type: "submit", ref: this.elements.ref ? this.elements.ref.value : "", cause: cause ? cause.seq : 0});
    return submit.call(this);
  };
  document.addEventListener("DOMContentLoaded", () => report({type: "ready"}));
})();`

// appEvent is what forgeryWatcher reports.
type appEvent struct {
	Type       string `json:"type"`
	Path       string `json:"path"`
	Seq        int    `json:"seq"`
	Origin     string `json:"origin"`
	FromParent bool   `json:"fromParent"`
	Data       string `json:"data"`
	Submits    int    `json:"submits"`
	Ref        string `json:"ref"`
	Cause      int    `json:"cause"`
}

// appEvents collects a tab's app events. chromedp runs each call of an
// exposed function in a goroutine of its own, so they may arrive in any
// order: tests look events up, never read them in sequence.
type appEvents struct {
	mu      sync.Mutex
	all     []appEvent
	changed chan struct{}
}

func (a *appEvents) add(e appEvent) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.all = append(a.all, e)
	close(a.changed)
	a.changed = make(chan struct{})
}

// waitFor returns the first event that matches, waiting for it to come.
func (a *appEvents) waitFor(tb testing.TB, what string, match func(appEvent) bool) appEvent {
	tb.Helper()
	deadline := time.After(reportWait)
	for {
		a.mu.Lock()
		for _, e := range a.all {
			if match(e) {
				a.mu.Unlock()
				return e
			}
		}
		changed := a.changed
		a.mu.Unlock()
		select {
		case <-changed:
		case <-deadline:
			tb.Fatalf("%s: it never happened; events so far: %+v", what, a.snapshot())
		}
	}
}

func (a *appEvents) snapshot() []appEvent {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]appEvent(nil), a.all...)
}

// forgeryTab opens a tab whose shopcard documents report their sidebars
// (appWatcher) and their messages and submissions (forgeryWatcher).
func forgeryTab(tb testing.TB, browser context.Context) (context.Context, <-chan sidebarReport, *appEvents) {
	tb.Helper()
	ctx := newTab(tb, browser)
	reports := make(chan sidebarReport, 64)
	events := &appEvents{changed: make(chan struct{})}
	step(tb, ctx, "watch shopcard's pages",
		chromedp.ExposeFunc("shopcardSidebar", func(_ context.Context, r sidebarReport) (chromedp.Void, error) {
			select {
			case reports <- r:
			default:
			}
			return chromedp.Void{}, nil
		}),
		chromedp.ExposeFunc("shopcardAppEvent", func(_ context.Context, e appEvent) (chromedp.Void, error) {
			events.add(e)
			return chromedp.Void{}, nil
		}),
		runAtDocumentStart(appWatcher),
		runAtDocumentStart(forgeryWatcher),
	)
	return ctx, reports, events
}

// attacker serves pages on an origin of its own: one that frames a URL
// (marking when the frame has loaded), and one that, framed beside a
// helpdesk's app, posts a message to it.
func attacker(tb testing.TB) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/host":
			fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not a helpdesk</title></head>
<body><iframe id="app" title="app" src="%s" onload="document.body.setAttribute('data-loaded', '1')"></iframe></body></html>`, html.EscapeString(q.Get("src")))
		case "/forge":
			// encoding/json escapes <, > and &, so the payload can't end
			// the script.
			payload, _ := json.Marshal(q.Get("payload"))
			fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Forger</title></head>
<body><script>var payload = %s; if (%t) payload = JSON.parse(payload); parent.frames[0].postMessage(payload, "*");</script></body></html>`,
				payload, q.Get("object") == "1")
		default:
			http.NotFound(w, r)
		}
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// A forger posts a forged message to the app framed first in the top page.
type forger struct {
	name string
	// origin and fromParent are where the app will see it come from.
	origin     func(evil string) string
	fromParent bool
	post       func(evil, payload string, object bool) chromedp.Action[chromedp.Void]
}

// siblingOnAnotherOrigin is a frame of the attacker's beside the app.
func siblingOnAnotherOrigin() forger {
	return forger{
		name: "a frame on another origin beside it", origin: func(evil string) string { return evil },
		post: func(evil, payload string, object bool) chromedp.Action[chromedp.Void] {
			src := evil + "/forge?" + url.Values{"payload": {payload}, "object": {map[bool]string{true: "1"}[object]}}.Encode()
			return chromedp.Evaluate[chromedp.Void](`(() => { const f = document.createElement("iframe"); f.title = "another site"; f.src = ` +
				strconv.Quote(src) + `; document.body.appendChild(f); })()`)
		},
	}
}

// siblingOnHelpdeskOrigin is a window of the helpdesk's own origin that
// isn't the app's parent: an about:blank frame the helpdesk's page made,
// whose own script (not the page's) posts.
func siblingOnHelpdeskOrigin(helpdesk string) forger {
	return forger{
		name: "another window of the helpdesk's origin", origin: func(string) string { return helpdesk },
		post: func(_, payload string, object bool) chromedp.Action[chromedp.Void] {
			msg := strconv.Quote(payload)
			if object {
				msg = payload
			}
			return chromedp.Evaluate[chromedp.Void](`(() => {
  const f = document.createElement("iframe"); f.title = "same origin"; document.body.appendChild(f);
  const s = f.contentDocument.createElement("script");
  s.textContent = "parent.frames[0].postMessage(" + ` + strconv.Quote(msg) + ` + ", '*')";
  f.contentDocument.body.appendChild(s);
})()`)
		},
	}
}

// topOnAnotherOrigin is the attacker's page itself, framing the helpdesk's
// page that frames the app, posting to the app from the top.
func topOnAnotherOrigin() forger {
	return forger{
		name: "the attacker's page framing the helpdesk", origin: func(evil string) string { return evil },
		post: func(_, payload string, _ bool) chromedp.Action[chromedp.Void] {
			return chromedp.Evaluate[chromedp.Void](`frames[0].frames[0].postMessage(` + strconv.Quote(payload) + `, "*")`)
		},
	}
}

// parentOnAnotherOrigin is the app's own parent, on an origin the
// installation lets frame it but that isn't the helpdesk's.
func parentOnAnotherOrigin() forger {
	return forger{
		name: "its parent on another origin", origin: func(evil string) string { return evil }, fromParent: true,
		post: func(_, payload string, _ bool) chromedp.Action[chromedp.Void] {
			return chromedp.Evaluate[chromedp.Void](`document.getElementById("app").contentWindow.postMessage(` + strconv.Quote(payload) + `, "*")`)
		},
	}
}

// TestBrowserHelpdeskForgedMessages has pages post forged contexts to the
// helpdesk apps in Chromium: from another origin, from a window of the
// helpdesk's own origin that isn't the app's parent, from the parent when
// it isn't on the helpdesk's origin. The apps must drop them all and show
// no contact for them, while the helpdesk's own messages still work.
func TestBrowserHelpdeskForgedMessages(t *testing.T) {
	t.Parallel()
	browser := browsertest.Start(t, 5*time.Minute)
	env := apptest.Start(t, apptest.Options{})
	fakes, err := fakehelpdesk.Start(env.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fakes.Close)
	insts, err := demo.SeedInstallations(context.Background(), env.App, env.WS, fakes)
	if err != nil {
		t.Fatal(err)
	}
	evil := attacker(t)
	app := func(inst inbox.Installation) string {
		return env.URL + "/apps/" + string(inst.Kind) + "?install=" + inst.ID
	}
	// An installation whose admin let the attacker's origin frame it too:
	// then the CSP lets the attacker be the app's parent, and only the
	// page's own check of the message's origin stands in the way.
	lax := insts[inbox.Chatwoot]
	lax.FrameOrigins = []string{evil.URL}
	if lax, err = env.App.DB.CreateInstallation(context.Background(), lax); err != nil {
		t.Fatal(err)
	}

	// Jordan is a contact of the Chatwoot account, so an accepted forgery
	// would show Jordan's orders.
	chatwootForgery := func(by string) string {
		return `{"event":"appContext","data":{"contact":{"id":` + strconv.Itoa(fakehelpdesk.ChatwootJordan) + `,"name":"Jordan Rivera","email":"` +
			fakeshopify.EmailSixtyOrders + `"},"conversation":{"id":7,"meta":{"sender":{"id":` + strconv.Itoa(fakehelpdesk.ChatwootJordan) + `}}},"theme":"dark"},"forgedBy":"` + by + `"}`
	}
	chatwootPage := func(inst inbox.Installation) string {
		return fakehelpdesk.ChatwootPageURL(fakes.ChatwootURL, fakehelpdesk.ChatwootAccount, fakehelpdesk.ChatwootMaya, app(inst))
	}
	// The app's first request (id 1) answered for Jordan's ticket.
	zendeskForgery := func(by string) string {
		return `{"id":1,"result":{"ticket.id":` + strconv.Itoa(fakehelpdesk.ZendeskJordanTicket) + `},"forgedBy":"` + by + `"}`
	}
	zendeskPage := fmt.Sprintf("%s/agent/tickets/%d?hold=1&app=%s", fakes.ZendeskURL, fakehelpdesk.ZendeskMayaTicket, url.QueryEscape(app(insts[inbox.Zendesk])))
	frontForgery := func(by string) string {
		return `{"type":"context_update","context":{"type":"singleConversation","conversation":{"id":"` + fakehelpdesk.FrontJordan + `"}},"forgedBy":"` + by + `"}`
	}
	frontPage := fakes.FrontURL + "/inbox?plugin=" + url.QueryEscape(app(insts[inbox.Front]))

	tests := []struct {
		name string
		page string
		// helpdesk is the origin the app listens to; "" for Front, whose
		// context comes over its MessagePort, not window messages.
		helpdesk string
		// legit is whom the helpdesk's own context shows, once forgeries
		// are dropped; "" when no helpdesk is there.
		legit string
		// ready is what must have happened before the forgeries are
		// posted, so that the app's listener is there to drop them.
		ready   func(t *testing.T, ctx context.Context, reports <-chan sidebarReport, events *appEvents)
		forgers []forger
		forgery func(by string) string
		object  bool
		// then runs once the forgeries are dropped (Zendesk's held answer).
		then chromedp.Action[chromedp.Void]
	}{
		{
			name: "chatwoot", page: chatwootPage(insts[inbox.Chatwoot]), helpdesk: fakes.ChatwootURL, legit: fakeshopify.EmailShowcase,
			ready: func(t *testing.T, _ context.Context, reports <-chan sidebarReport, _ *appEvents) {
				wantContact(t, nextReport(t, reports, "Chatwoot's context"), fakeshopify.EmailShowcase, "Chatwoot's context")
			},
			forgers: []forger{siblingOnAnotherOrigin(), siblingOnHelpdeskOrigin(fakes.ChatwootURL)},
			forgery: chatwootForgery,
		},
		{
			// frame-ancestors names every ancestor, so only an installation
			// that lets the attacker frame it loads under the attacker's page.
			name: "chatwoot framed by an attacker's page", page: evil.URL + "/host?" + url.Values{"src": {chatwootPage(lax)}}.Encode(), helpdesk: fakes.ChatwootURL, legit: fakeshopify.EmailShowcase,
			ready: func(t *testing.T, _ context.Context, reports <-chan sidebarReport, _ *appEvents) {
				wantContact(t, nextReport(t, reports, "Chatwoot's context"), fakeshopify.EmailShowcase, "Chatwoot's context")
			},
			forgers: []forger{topOnAnotherOrigin()},
			forgery: chatwootForgery,
		},
		{
			name: "chatwoot's parent on another origin", page: evil.URL + "/host?" + url.Values{"src": {app(lax)}}.Encode(), helpdesk: fakes.ChatwootURL,
			ready: func(t *testing.T, _ context.Context, _ <-chan sidebarReport, events *appEvents) {
				events.waitFor(t, "the Chatwoot app loads in the attacker's frame", func(e appEvent) bool { return e.Type == "ready" && e.Path == "/apps/chatwoot" })
			},
			forgers: []forger{parentOnAnotherOrigin()},
			forgery: chatwootForgery,
		},
		{
			name: "zendesk", page: zendeskPage, helpdesk: fakes.ZendeskURL, legit: fakeshopify.EmailShowcase,
			ready: func(t *testing.T, ctx context.Context, _ <-chan sidebarReport, _ *appEvents) {
				// Zendesk holds its answer to the app's first request, so a
				// forged answer can come first.
				step(t, ctx, "the app asks Zendesk for the ticket", chromedp.WaitReady(chromedp.CSS(`body[data-held="1"]`)))
			},
			forgers: []forger{siblingOnAnotherOrigin(), siblingOnHelpdeskOrigin(fakes.ZendeskURL)},
			forgery: zendeskForgery,
			then:    chromedp.Evaluate[chromedp.Void](`releaseReplies()`),
		},
		{
			name: "front", page: frontPage, legit: fakeshopify.EmailShowcase,
			ready: func(t *testing.T, _ context.Context, reports <-chan sidebarReport, _ *appEvents) {
				wantContact(t, nextReport(t, reports, "Front's context"), fakeshopify.EmailShowcase, "Front's context")
			},
			forgers: []forger{siblingOnAnotherOrigin(), siblingOnHelpdeskOrigin(fakes.FrontURL)},
			forgery: frontForgery,
			object:  true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, reports, events := forgeryTab(t, browser)
			step(t, ctx, "open "+tt.page, chromedp.Navigate(tt.page))
			tt.ready(t, ctx, reports, events)
			for _, f := range tt.forgers {
				payload := tt.forgery(f.name)
				step(t, ctx, f.name+" posts a forged context", f.post(evil.URL, payload, tt.object))
				rec := events.waitFor(t, f.name+": the app gets the forged message", func(e appEvent) bool {
					return e.Type == "message" && strings.Contains(e.Data, `"forgedBy":"`+f.name+`"`)
				})
				// The forgery came from where the case says, or the test
				// proves nothing.
				if rec.Origin != f.origin(evil.URL) || rec.FromParent != f.fromParent {
					t.Fatalf("%s: the message came from %s (from the parent: %v), want %s (%v)", f.name, rec.Origin, rec.FromParent, f.origin(evil.URL), f.fromParent)
				}
				if rec.Submits != 0 {
					t.Errorf("%s: the app asked for a sidebar for a forged message", f.name)
				}
			}
			if tt.then != nil {
				step(t, ctx, "the helpdesk answers", tt.then)
			}
			if tt.legit != "" && tt.then != nil {
				wantContact(t, nextReport(t, reports, "the helpdesk's answer"), tt.legit, "the helpdesk's answer")
			}
			// Every sidebar the app asked for was asked for by the
			// helpdesk: a message from its origin and its parent, or, for
			// Front, its port.
			records := map[int]appEvent{}
			submits := 0
			for _, e := range events.snapshot() {
				if e.Type == "message" {
					records[e.Seq] = e
				}
			}
			for _, e := range events.snapshot() {
				if e.Type != "submit" {
					continue
				}
				submits++
				if tt.helpdesk == "" {
					if e.Cause != 0 {
						t.Errorf("the Front app asked for a sidebar for a window message: %+v", records[e.Cause])
					}
					continue
				}
				cause := events.waitFor(t, "the message behind a sidebar", func(m appEvent) bool { return m.Type == "message" && m.Seq == e.Cause })
				if cause.Origin != tt.helpdesk || !cause.FromParent || strings.Contains(cause.Data, "forgedBy") {
					t.Errorf("a sidebar (ref %s) was asked for by a message from %s (from the parent: %v): %s", e.Ref, cause.Origin, cause.FromParent, cause.Data)
				}
			}
			if tt.legit != "" && submits == 0 {
				t.Error("the helpdesk's own context opened no sidebar: the watcher saw nothing, so the test proves nothing")
			}
			for {
				select {
				case r := <-reports:
					if r.Rejection == "" && (len(r.Emails) != 1 || r.Emails[0] != tt.legit) {
						t.Errorf("a sidebar showed %v", r.Emails)
					}
					continue
				default:
				}
				break
			}
		})
	}

	t.Run("a page on another origin may not frame the app", func(t *testing.T) {
		// Without the installation's leave, the CSP keeps the attacker
		// from being the app's parent at all. The app page has a frame of
		// its own (the sidebar's); the error page Chromium shows in its
		// place has none. The installation that lets the attacker frame it
		// shows the check can tell them apart.
		for _, c := range []struct {
			inst   inbox.Installation
			frames int
		}{{insts[inbox.Chatwoot], 0}, {lax, 1}} {
			ctx, _, events := forgeryTab(t, browser)
			step(t, ctx, "the attacker frames the Chatwoot app",
				chromedp.Navigate(evil.URL+"/host?"+url.Values{"src": {app(c.inst)}}.Encode()),
				chromedp.WaitReady(chromedp.CSS(`body[data-loaded="1"]`)))
			frames, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.getElementById("app").contentWindow.length`))
			if err != nil {
				t.Fatal(err)
			}
			if frames != c.frames {
				t.Errorf("frame origins %v: %d frames in the attacker's frame, want %d", c.inst.Ancestors(), frames, c.frames)
			}
			if c.frames == 0 {
				for _, e := range events.snapshot() {
					if e.Type == "start" {
						t.Errorf("a shopcard app document started in the attacker's frame: %+v", e)
					}
				}
			}
		}
	})
}
