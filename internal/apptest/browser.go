package apptest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Browser is one person's browser: a cookie jar, no automatic redirects
// (tests look at each one), and the CSRF token of the last page it saw.
type Browser struct {
	tb     testing.TB
	env    *Env
	Client *http.Client
	CSRF   string
}

// Browser opens a new browser with no cookies.
func (e *Env) Browser(tb testing.TB) *Browser {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	return &Browser{tb: tb, env: e, Client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Page is a response, read and parsed.
type Page struct {
	Resp *http.Response
	Body string
	Doc  *goquery.Document
}

// Status is the response's status code.
func (p Page) Status() int { return p.Resp.StatusCode }

// Location is the path (and query) a redirect points to.
func (p Page) Location() string {
	u, err := url.Parse(p.Resp.Header.Get("Location"))
	if err != nil {
		return ""
	}
	return u.RequestURI()
}

// Attr is an attribute of the first element with a data-testid.
func (p Page) Attr(testid, name string) string {
	v, _ := p.Doc.Find(Sel(testid)).First().Attr(name)
	return v
}

// Text is the trimmed text of the first element with a data-testid.
func (p Page) Text(testid string) string {
	return strings.TrimSpace(p.Doc.Find(Sel(testid)).First().Text())
}

// Do sends a request and reads the page, keeping its CSRF token.
func (b *Browser) Do(req *http.Request) Page {
	b.tb.Helper()
	resp, err := b.Client.Do(req)
	if err != nil {
		b.tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.tb.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(raw))
	if err != nil {
		b.tb.Fatal(err)
	}
	if v, ok := doc.Find(`input[name="csrf"]`).First().Attr("value"); ok {
		b.CSRF = v
	}
	return Page{Resp: resp, Body: string(raw), Doc: doc}
}

// Get fetches a path on the server, or an absolute URL.
func (b *Browser) Get(target string) Page {
	b.tb.Helper()
	if strings.HasPrefix(target, "/") {
		target = b.env.URL + target
	}
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		b.tb.Fatal(err)
	}
	return b.Do(req)
}

// Post submits a form with the browser's CSRF token, unless the form sets
// its own "csrf" (even empty).
func (b *Browser) Post(path string, form url.Values) Page {
	b.tb.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, set := form["csrf"]; !set {
		form.Set("csrf", b.CSRF)
	}
	req, err := http.NewRequest(http.MethodPost, b.env.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.Do(req)
}

// SignIn signs a new browser in and loads the stores page.
func (e *Env) SignIn(tb testing.TB, email, password string) *Browser {
	tb.Helper()
	b := e.Browser(tb)
	b.Get("/admin/signin")
	p := b.Post("/admin/signin", url.Values{"email": {email}, "password": {password}})
	if p.Status() != http.StatusSeeOther || p.Location() != "/admin/stores" {
		tb.Fatalf("sign in as %s: %d → %q\n%s", email, p.Status(), p.Location(), p.Text("notice"))
	}
	if p := b.Get("/admin/stores"); p.Status() != http.StatusOK {
		tb.Fatalf("stores page: %d", p.Status())
	}
	return b
}

// Cookie is the value of one of the browser's cookies for the server.
func (b *Browser) Cookie(name string) string {
	u, _ := url.Parse(b.env.URL)
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// On is the same browser (its cookies and its CSRF token) talking to
// another replica, as a load balancer may send one person's requests to
// any of them.
func (b *Browser) On(e *Env) *Browser {
	return &Browser{tb: b.tb, env: e, Client: b.Client, CSRF: b.CSRF}
}
