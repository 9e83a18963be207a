package devmode

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestParseDevConfig(t *testing.T) {
	f, err := os.Open("../../templ.config")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := ParseConfig(f)
	if err != nil {
		t.Fatalf("the committed templ.config does not parse: %v", err)
	}
	if c.AppAddr == "" || c.ProxyPort == 0 || c.TailwindInput != "static/src/app.css" || c.TailwindOutput != "static/app.css" || c.DevDB != "tmp/dev/demo.db" {
		t.Errorf("parsed %+v", c)
	}
	// The committed pattern rebuilds for Go code and modules, never for a
	// template (templ reloads those) or a test.
	rebuild := regexp.MustCompile(c.WatchPattern)
	for path, want := range map[string]bool{"main.go": true, "handlers/routes.go": true, "views/badge_templ.go": true, "go.mod": true, "go.sum": true, "views/badge.templ": false, "static/app.css": false, "sub/go.mod.bak": false} {
		if got := rebuild.MatchString(path); got != want {
			t.Errorf("watch_pattern matches %s: %v, want %v", path, got, want)
		}
	}

	valid := "app_addr = 127.0.0.1:8080\nproxy_port = 7331\nwatch_pattern = .+\\.go$\ntailwind_input = a.css\ntailwind_output = b.css\ndev_db = tmp/dev/demo.db\n"
	tests := []struct {
		name, input, errPart string
	}{
		{"valid with comments", "# hello\n\n" + valid, ""},
		{"unknown key", valid + "colour = blue\n", "unknown setting"},
		{"missing key", strings.Replace(valid, "proxy_port = 7331\n", "", 1), "proxy_port is missing"},
		{"bad port", strings.Replace(valid, "7331", "99999", 1), "not a port"},
		{"bad address", strings.Replace(valid, "127.0.0.1:8080", "localhost", 1), "not host:port"},
		{"bad pattern", strings.Replace(valid, ".+\\.go$", "(", 1), "watch_pattern"},
		{"pattern matches templates", strings.Replace(valid, ".+\\.go$", "(.+\\.go$)|(.+\\.templ$)", 1), "matches .templ files"},
		{"no dev database", strings.Replace(valid, "dev_db = tmp/dev/demo.db\n", "", 1), "dev_db is missing"},
		{"empty dev database", strings.Replace(valid, "dev_db = tmp/dev/demo.db", "dev_db =", 1), "dev_db is empty"},
		{"duplicate", valid + "proxy_port = 1\n", "set twice"},
		{"no equals", valid + "oops\n", "want key = value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig(strings.NewReader(tt.input))
			if tt.errPart == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.errPart) {
				t.Errorf("err %v, want %q", err, tt.errPart)
			}
		})
	}
}
