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
	AppAddr        string
	ProxyPort      int
	WatchPattern   string
	TailwindInput  string
	TailwindOutput string
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
			if _, err := regexp.Compile(value); err != nil {
				return c, fmt.Errorf("templ.config line %d: watch_pattern: %w", line, err)
			}
			c.WatchPattern = value
		case "tailwind_input":
			c.TailwindInput = value
		case "tailwind_output":
			c.TailwindOutput = value
		default:
			return c, fmt.Errorf("templ.config line %d: unknown setting %q", line, key)
		}
	}
	if err := sc.Err(); err != nil {
		return c, err
	}
	for _, k := range []string{"app_addr", "proxy_port", "watch_pattern", "tailwind_input", "tailwind_output"} {
		if !seen[k] {
			return c, fmt.Errorf("templ.config: %s is missing", k)
		}
	}
	return c, nil
}
