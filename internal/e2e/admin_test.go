package e2e

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"shopcard/fakeshopify"
	"shopcard/internal/cli"
	"strings"
	"testing"
	"time"
)

func TestAdminCommands(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "admin.db")
	getenv := testGetenv(map[string]string{"SHOPCARD_LOG_LEVEL": "warn", "SHOPCARD_PUBLIC_URL": "https://shopcard.example.com"})
	if _, err := runCLI(t, getenv, "", "workspace", "create", "acme", "--db", db); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
		ok    bool
	}{
		{"short password", "pw-xyz\n", []string{"admin", "create", "--workspace", "acme", "--email", "ada@acme.example"}, "at least 12 characters", false},
		{"no password", "", []string{"admin", "create", "--workspace", "acme", "--email", "ada@acme.example"}, "too short", false},
		{"not an email", "a long enough password\n", []string{"admin", "create", "--workspace", "acme", "--email", "ada"}, "not an email address", false},
		{"no workspace flag", "a long enough password\n", []string{"admin", "create", "--email", "ada@acme.example"}, "--workspace and --email are required", false},
		{"unknown workspace", "a long enough password\n", []string{"admin", "create", "--workspace", "ghost", "--email", "ada@acme.example"}, "not found", false},
		{"created", "a long enough password\n", []string{"admin", "create", "--workspace", "acme", "--email", "Ada@Acme.example"}, "Created admin ada@acme.example in workspace \"acme\". Sign in at https://shopcard.example.com/admin/signin.", true},
		{"twice", "another long password\n", []string{"admin", "create", "--workspace", "acme", "--email", "ada@acme.example"}, "already exists", false},
		{"new password", "a brand new password\n", []string{"admin", "password", "--email", "ada@acme.example"}, "signed them out everywhere", true},
		{"new password too short", "tiny\n", []string{"admin", "password", "--email", "ada@acme.example"}, "too short", false},
		{"new password for nobody", "a brand new password\n", []string{"admin", "password", "--email", "nobody@acme.example"}, "not found", false},
		{"unknown subcommand", "", []string{"admin", "delete"}, "unknown admin command", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runCLI(t, getenv, tt.stdin, append(tt.args, "--db", db)...)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v\n%s", err, tt.ok, out)
			}
			msg := out
			if err != nil {
				msg += err.Error()
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("output %q does not say %q", msg, tt.want)
			}
			if tt.stdin != "" && strings.Contains(msg, strings.TrimSpace(tt.stdin)) {
				t.Error("the password was echoed")
			}
		})
	}
	for _, args := range [][]string{{"admin", "--help"}, {"admin", "create", "--help"}, {"admin", "password", "--help"}} {
		if out, err := runCLI(t, getenv, "", args...); err != nil || !strings.Contains(out, "Usage: shopcard") {
			t.Errorf("%v: %v %q", args, err, out)
		}
	}
}

// TestDemoPrintsAdminCredentials runs `shopcard demo` and signs in to the
// admin console with the credentials it prints.
func TestDemoPrintsAdminCredentials(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- cli.Run(ctx, []string{"shopcard", "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "demo.db")},
			testGetenv(map[string]string{"SHOPCARD_LOG_LEVEL": "warn"}), strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	found := make(chan []string, 1)
	keys := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := regexp.MustCompile(`Admin console: (http://\S+)/admin \(email (\S+), password (\S+)\)`).FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1:]
			}
			if m := regexp.MustCompile(`API key for the demo workspace is (sck_\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				keys <- m[1]
			}
		}
	}()
	var creds []string
	select {
	case creds = <-found:
	case err := <-done:
		t.Fatalf("demo exited: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the demo printed no admin credentials")
	}
	base, email, password := creds[0], creds[1], creds[2]

	// The printed key and curl work: the order the demo points at, for
	// the email it was placed with, and not for Maya's.
	var key string
	select {
	case key = <-keys:
	case <-time.After(10 * time.Second):
		t.Fatal("the demo printed no API key")
	}
	for _, c := range []struct {
		email  string
		status int
	}{{fakeshopify.EmailGiftGiver, http.StatusOK}, {fakeshopify.EmailShowcase, http.StatusNotFound}} {
		body := `{"order_number": "` + fakeshopify.OrderGiftForMaya + `", "customer_email": "` + c.email + `"}`
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/tools/get_order_details", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || (c.status == http.StatusOK && !strings.Contains(string(answer), "Valencia")) {
			t.Errorf("get_order_details for %s: %d %s", c.email, resp.StatusCode, answer)
		}
	}

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
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
	resp, err = client.PostForm(base+"/admin/signin", url.Values{"csrf": {string(csrf[1])}, "email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	stores, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/admin/stores" || strings.Count(string(stores), `data-testid="store-row"`) != 4 {
		t.Fatalf("signing in with the printed credentials: %d at %s", resp.StatusCode, resp.Request.URL.Path)
	}
	if !strings.Contains(string(stores), `data-testid="oauth-domain"`) {
		t.Error("the demo does not offer OAuth against the fake Shopify")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Error("the demo did not stop")
	}
}
