package e2e

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"shopcard/internal/cli"
)

// runDemo runs `shopcard demo` on a free port with the database at db, and
// returns its URL and a function that stops it as Ctrl+C would.
func runDemo(tb testing.TB, db string) (string, func()) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- cli.Run(ctx, []string{"shopcard", "demo", "--dev", "--addr", "127.0.0.1:0", "--db", db},
			testGetenv(map[string]string{"SHOPCARD_LOG_LEVEL": "warn"}), strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := regexp.MustCompile(`Open (http://\S+)/demo`).FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
	}()
	stop := func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("the demo stopped with %v", err)
			}
		case <-time.After(20 * time.Second):
			tb.Error("the demo did not stop")
		}
	}
	select {
	case u := <-urls:
		return u, stop
	case err := <-done:
		tb.Fatalf("the demo exited: %v", err)
	case <-time.After(30 * time.Second):
		stop()
		tb.Fatal("the demo did not start")
	}
	return "", nil
}

// TestDemoKeepsItsDatabaseAcrossRestarts is what `shopcard dev` relies on
// when it restarts the demo after a Go edit: with the same --db, the demo
// finds its data and key again, and an admin signed in before the restart
// is still signed in after it.
func TestDemoKeepsItsDatabaseAcrossRestarts(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "dev", "demo.db")
	if err := os.MkdirAll(filepath.Dir(db), 0o700); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	storeRows := func(base string) (int, string) {
		t.Helper()
		resp, err := client.Get(base + "/admin/stores")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return strings.Count(string(page), `data-testid="store-row"`), resp.Request.URL.Path
	}

	base, stop := runDemo(t, db)
	resp, err := client.Get(base + "/admin/signin")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if csrf == nil {
		t.Fatalf("no CSRF token on the sign-in page:\n%s", page)
	}
	resp, err = client.PostForm(base+"/admin/signin", url.Values{"csrf": {string(csrf[1])}, "email": {"admin@demo.example"}, "password": {"shopcard-demo-password"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if rows, path := storeRows(base); rows != 4 || path != "/admin/stores" {
		t.Fatalf("signed in: %d store rows at %s", rows, path)
	}
	key, err := os.ReadFile(db + ".key")
	if err != nil {
		t.Fatalf("no key file next to the database: %v", err)
	}
	stop()

	for restart := 1; restart <= 2; restart++ {
		base, stop = runDemo(t, db)
		// The cookie jar sends 127.0.0.1's cookies to any of its ports.
		if rows, path := storeRows(base); rows != 4 || path != "/admin/stores" {
			t.Errorf("restart %d: the session opened %s with %d store rows, want /admin/stores with the 4 demo stores, not seeded twice", restart, path, rows)
		}
		stop()
	}
	if again, err := os.ReadFile(db + ".key"); err != nil || string(again) != string(key) {
		t.Errorf("the key file changed across restarts (%v)", err)
	}
}
