package devmode

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
)

// Config is templ.config: the settings `shopcard dev` runs with.
type Config struct {
	// AppAddr is where dev mode's front server listens, in front of the
	// shopcard server it builds and restarts; templ's proxy points at it.
	AppAddr string
	// ProxyPort is the port of templ's live-reload proxy, the one to open.
	ProxyPort int
	// WatchPattern matches the files, by slash-separated path from the
	// repository root, whose changes rebuild and restart the server.
	WatchPattern string
	// TailwindInput and TailwindOutput are the stylesheet's source and the
	// built file the server serves from disk.
	TailwindInput  string
	TailwindOutput string
	// DevDB is the dev server's SQLite database, kept across restarts (its
	// key file sits next to it, at DevDB + ".key").
	DevDB string
}

// ParseConfig reads "key = value" lines; # starts a comment.
func ParseConfig(r io.Reader) (Config, error) {
	c := Config{}
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, value, ok := strings.Cut(text, "=")
		if !ok {
			return c, fmt.Errorf("templ.config line %d: want key = value", line)
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if seen[key] {
			return c, fmt.Errorf("templ.config line %d: %s set twice", line, key)
		}
		seen[key] = true
		switch key {
		case "app_addr":
			if _, _, err := net.SplitHostPort(value); err != nil {
				return c, fmt.Errorf("templ.config line %d: app_addr %q is not host:port", line, value)
			}
			c.AppAddr = value
		case "proxy_port":
			p, err := strconv.Atoi(value)
			if err != nil || p <= 0 || p > 65535 {
				return c, fmt.Errorf("templ.config line %d: proxy_port %q is not a port", line, value)
			}
			c.ProxyPort = p
		case "watch_pattern":
			re, err := regexp.Compile(value)
			if err != nil {
				return c, fmt.Errorf("templ.config line %d: watch_pattern: %w", line, err)
			}
			// templ regenerates views from .templ files and reloads text
			// changes without a restart; rebuilding on them as well would
			// restart the server on every text edit.
			if re.MatchString("views/page.templ") {
				return c, fmt.Errorf("templ.config line %d: watch_pattern %q matches .templ files, which templ watches itself; match only Go files, e.g. (.+\\.go$)|(^go\\.(mod|sum)$)", line, value)
			}
			c.WatchPattern = value
		case "tailwind_input":
			c.TailwindInput = value
		case "tailwind_output":
			c.TailwindOutput = value
		case "dev_db":
			if value == "" {
				return c, fmt.Errorf("templ.config line %d: dev_db is empty; name a file under a git-ignored directory, e.g. tmp/dev/demo.db", line)
			}
			c.DevDB = value
		default:
			return c, fmt.Errorf("templ.config line %d: unknown setting %q", line, key)
		}
	}
	if err := sc.Err(); err != nil {
		return c, err
	}
	for _, k := range []string{"app_addr", "proxy_port", "watch_pattern", "tailwind_input", "tailwind_output", "dev_db"} {
		if !seen[k] {
			return c, fmt.Errorf("templ.config: %s is missing", k)
		}
	}
	return c, nil
}
