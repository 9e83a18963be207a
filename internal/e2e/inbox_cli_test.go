package e2e

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestInboxCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "shopcard.db")
	getenv := testGetenv(map[string]string{"SHOPCARD_DB": db, "SHOPCARD_PUBLIC_URL": "https://shopcard.example.com"})
	if _, err := runCLI(t, getenv, "", "workspace", "create", "acme"); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, getenv, "chatwoot-token\n", "inbox", "add", "--workspace", "acme", "--kind", "chatwoot", "--url", "https://chat.acme.example/", "--account", "3")
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	url := regexp.MustCompile(`https://shopcard\.example\.com/apps/chatwoot\?install=[a-z2-7]{20}`).FindString(out)
	if url == "" || !strings.Contains(out, "Dashboard Apps") || !strings.Contains(out, "framed by: https://chat.acme.example") {
		t.Fatalf("add printed %q", out)
	}
	if strings.Contains(out, "chatwoot-token") {
		t.Error("add echoes the token")
	}

	// Each kind's required flags and secrets.
	for _, tt := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"chatwoot without account", "t\n", []string{"--kind", "chatwoot", "--url", "https://c.example"}, "needs --url and --account"},
		{"http URL", "t\n", []string{"--kind", "chatwoot", "--url", "http://c.example", "--account", "1"}, "must use https"},
		{"helpscout missing a secret", "only-one\n", []string{"--kind", "helpscout", "--client-id", "app"}, "stdin ended before"},
		{"unknown kind", "", []string{"--kind", "intercom"}, "is not a helpdesk"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runCLI(t, getenv, tt.stdin, append([]string{"inbox", "add", "--workspace", "acme"}, tt.args...)...)
			if err == nil || !strings.Contains(out+err.Error(), tt.want) {
				t.Errorf("got %v, %q; want an error with %q", err, out, tt.want)
			}
		})
	}

	pkg := filepath.Join(dir, "zendesk.zip")
	out, err = runCLI(t, getenv, "zendesk-token\n", "inbox", "add", "--workspace", "acme", "--kind", "zendesk", "--url", "https://acme.zendesk.com", "--email", "ada@acme.example", "--package", pkg)
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	b, err := os.ReadFile(pkg)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	for _, name := range []string{"manifest.json", "translations/en.json", "assets/logo.png", "assets/logo-small.png"} {
		if len(files[name]) == 0 {
			t.Errorf("the package lacks %s", name)
		}
	}
	var m struct {
		SignedURLs bool `json:"signedUrls"`
		Private    bool `json:"private"`
		Location   struct {
			Support struct {
				TicketSidebar struct {
					URL string `json:"url"`
				} `json:"ticket_sidebar"`
			} `json:"support"`
		} `json:"location"`
	}
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	zendeskID := regexp.MustCompile(`install=([a-z2-7]{20})`).FindStringSubmatch(m.Location.Support.TicketSidebar.URL)
	if !m.SignedURLs || !m.Private || zendeskID == nil || !strings.HasPrefix(m.Location.Support.TicketSidebar.URL, "https://shopcard.example.com/apps/zendesk?") {
		t.Errorf("manifest %s", files["manifest.json"])
	}
	if !strings.Contains(out, "inbox zendesk-key") {
		t.Errorf("add doesn't say how to give the public key: %q", out)
	}

	list, err := runCLI(t, getenv, "", "inbox", "list", "--workspace", "acme")
	if err != nil || !strings.Contains(list, url) || !strings.Contains(list, zendeskID[1]) || strings.Contains(list, "token") {
		t.Errorf("list: %v %q", err, list)
	}
	id := strings.TrimPrefix(url, "https://shopcard.example.com/apps/chatwoot?install=")
	if out, err := runCLI(t, getenv, "", "inbox", "remove", "--workspace", "acme", "--install", id); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if list, _ := runCLI(t, getenv, "", "inbox", "list", "--workspace", "acme"); strings.Contains(list, id) {
		t.Error("the removed installation is still listed")
	}
}
