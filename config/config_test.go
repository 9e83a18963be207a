package config

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func env(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil), "")
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "shopcard.db" || c.SecretKeyFile != "shopcard.db.key" || c.CacheTTL != time.Minute || c.ShopifyTimeout != 8*time.Second ||
		c.CacheMaxBytes != 64<<20 || c.StaleTTL != 24*time.Hour || c.StaleMaxBytes != 64<<20 || !c.ShopifyClientSecret.IsZero() || c.ShopifyURL != "https://{shop}" || strings.Join(c.FrameAncestors, " ") != "'none'" || c.OAuthEnabled() || len(c.TrustedProxies) != 0 {
		t.Errorf("defaults: %+v", c)
	}
	c, _ = Load(env(map[string]string{"SHOPCARD_DB": "/var/lib/shopcard/x.db"}), "/tmp/flag.db")
	if c.DB != "/tmp/flag.db" || c.SecretKeyFile != "/tmp/flag.db.key" {
		t.Errorf("--db should win: %+v", c)
	}
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		vars    map[string]string
		errPart string
		check   func(c Config) bool
	}{
		{"ttl", map[string]string{"SHOPCARD_CACHE_TTL": "90s"}, "", func(c Config) bool { return c.CacheTTL == 90*time.Second }},
		{"bad ttl", map[string]string{"SHOPCARD_CACHE_TTL": "soon"}, "SHOPCARD_CACHE_TTL", nil},
		{"negative timeout", map[string]string{"SHOPCARD_SHOPIFY_TIMEOUT": "-1s"}, "SHOPCARD_SHOPIFY_TIMEOUT", nil},
		{"bytes with unit", map[string]string{"SHOPCARD_CACHE_MAX_BYTES": "256MiB"}, "", func(c Config) bool { return c.CacheMaxBytes == 256<<20 }},
		{"too few bytes", map[string]string{"SHOPCARD_CACHE_MAX_BYTES": "1000"}, "at least 1MiB", nil},
		{"stale ttl", map[string]string{"SHOPCARD_STALE_TTL": "2h"}, "", func(c Config) bool { return c.StaleTTL == 2*time.Hour }},
		{"stale answers off", map[string]string{"SHOPCARD_STALE_TTL": "0"}, "", func(c Config) bool { return c.StaleTTL == 0 }},
		{"bad stale ttl", map[string]string{"SHOPCARD_STALE_TTL": "-1h"}, "SHOPCARD_STALE_TTL", nil},
		{"rendered sections", map[string]string{"SHOPCARD_RENDER_CACHE_MAX_BYTES": "32MiB"}, "", func(c Config) bool { return c.RenderMaxBytes == 32<<20 }},
		{"rendered sections by default", nil, "", func(c Config) bool { return c.RenderMaxBytes == 16<<20 }},
		{"rendered sections off", map[string]string{"SHOPCARD_RENDER_CACHE_MAX_BYTES": "0"}, "", func(c Config) bool { return c.RenderMaxBytes == 0 }},
		{"too few rendered bytes", map[string]string{"SHOPCARD_RENDER_CACHE_MAX_BYTES": "1000"}, "SHOPCARD_RENDER_CACHE_MAX_BYTES: 0 or at least 1MiB", nil},
		{"too few stale bytes", map[string]string{"SHOPCARD_STALE_MAX_BYTES": "10KiB"}, "SHOPCARD_STALE_MAX_BYTES: at least 1MiB", nil},
		{"client secret", map[string]string{"SHOPCARD_SHOPIFY_CLIENT_ID": "cid", "SHOPCARD_SHOPIFY_CLIENT_SECRET": " shpss_x "}, "", func(c Config) bool { return c.ShopifyClientSecret.Reveal() == "shpss_x" }},
		{"frame ancestors", map[string]string{"SHOPCARD_FRAME_ANCESTORS": "https://inbox.example.com 'self'"}, "", func(c Config) bool { return len(c.FrameAncestors) == 2 }},
		{"frame ancestor with a path", map[string]string{"SHOPCARD_FRAME_ANCESTORS": "https://inbox.example.com/app"}, "has a path", nil},
		{"frame ancestor injection", map[string]string{"SHOPCARD_FRAME_ANCESTORS": "https://a.com; script-src *"}, "not an origin", nil},
		{"shopify override", map[string]string{"SHOPCARD_SHOPIFY_URL": "http://127.0.0.1:9999/shops/{shop}"}, "", func(c Config) bool { return strings.HasPrefix(c.ShopifyURL, "http://127") }},
		{"shopify override without {shop}", map[string]string{"SHOPCARD_SHOPIFY_URL": "http://127.0.0.1:9999"}, "must contain {shop}", nil},
		{"public url", map[string]string{"SHOPCARD_PUBLIC_URL": "example.com"}, "SHOPCARD_PUBLIC_URL", nil},
		{"log level", map[string]string{"SHOPCARD_LOG_LEVEL": "loud"}, "SHOPCARD_LOG_LEVEL", nil},
		{"oauth app", map[string]string{"SHOPCARD_SHOPIFY_CLIENT_ID": "id", "SHOPCARD_SHOPIFY_CLIENT_SECRET": "secret", "SHOPCARD_PUBLIC_URL": "https://shopcard.example.com"}, "",
			func(c Config) bool { return c.OAuthEnabled() && c.ShopifyClientSecret.Reveal() == "secret" }},
		{"oauth app without public url", map[string]string{"SHOPCARD_SHOPIFY_CLIENT_ID": "id", "SHOPCARD_SHOPIFY_CLIENT_SECRET": "secret"}, "",
			func(c Config) bool { return !c.OAuthEnabled() }},
		{"client id without secret", map[string]string{"SHOPCARD_SHOPIFY_CLIENT_ID": "id"}, "go together", nil},
		{"client secret without id", map[string]string{"SHOPCARD_SHOPIFY_CLIENT_SECRET": "s"}, "go together", nil},
		{"trusted proxies", map[string]string{"SHOPCARD_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.1 ::1"}, "",
			func(c Config) bool {
				return len(c.TrustedProxies) == 3 && c.TrustedProxies[1].String() == "192.168.1.1/32"
			}},
		{"bad trusted proxy", map[string]string{"SHOPCARD_TRUSTED_PROXIES": "proxy.local"}, "SHOPCARD_TRUSTED_PROXIES", nil},
		{"too many frame ancestors", map[string]string{"SHOPCARD_FRAME_ANCESTORS": strings.Repeat("https://a.example.com ", 21)}, "at most 20", nil},
		{"several errors at once", map[string]string{"SHOPCARD_CACHE_TTL": "x", "SHOPCARD_LOG_FORMAT": "xml"}, "SHOPCARD_LOG_FORMAT", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.vars), "")
			if tt.errPart != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errPart) {
					t.Fatalf("err %v, want %q", err, tt.errPart)
				}
				return
			}
			if err != nil || !tt.check(c) {
				t.Fatalf("err %v, config %+v", err, c)
			}
		})
	}
}

// TestValidateFrameAncestors holds origins to how browsers match them.
func TestValidateFrameAncestors(t *testing.T) {
	many := strings.Repeat("https://a.example.com https://b.example.com ", 10)
	manyDistinct := ""
	for i := range 21 {
		manyDistinct += fmt.Sprintf("https://inbox%d.example.com ", i)
	}
	tests := []struct {
		name, in string
		want     string // normalized, space-separated; "" with errPart set
		errPart  string
	}{
		{"empty", "", "", ""},
		{"one origin", "https://inbox.example.com", "https://inbox.example.com", ""},
		{"keywords and an origin", "'self' https://inbox.example.com", "'self' https://inbox.example.com", ""},
		{"capitals and a trailing slash", "HTTPS://Inbox.Example.COM/", "https://inbox.example.com", ""},
		{"an IDN host becomes punycode", "https://bücher.example", "https://xn--bcher-kva.example", ""},
		{"an IDN host under a wildcard", "https://*.bücher.example", "https://*.xn--bcher-kva.example", ""},
		{"a port", "http://localhost:8080", "http://localhost:8080", ""},
		{"an IPv6 address", "http://[::1]:3000", "http://[::1]:3000", ""},
		{"duplicates collapse", "https://inbox.example.com https://INBOX.example.com", "https://inbox.example.com", ""},
		{"twenty origins, repeated", many, "https://a.example.com https://b.example.com", ""},
		{"21 origins", manyDistinct, "", "list at most 20 origins, not 21"},
		{"a comma-separated list", "https://a.example.com,https://b.example.com", "", "separate origins with spaces"},
		{"a comma and a space", "https://a.example.com, https://b.example.com", "", "separate origins with spaces"},
		{"a path", "https://inbox.example.com/app", "", "has a path or query"},
		{"a query", "https://inbox.example.com?x=1", "", "has a path or query"},
		{"a fragment", "https://inbox.example.com#top", "", "has a path or query"},
		{"a wildcard in the middle", "https://inbox.*.example.com", "", "a wildcard may only stand for the first part"},
		{"a bare wildcard", "https://*", "", "a wildcard may only stand for the first part"},
		{"a wildcard at the end", "https://example.*", "", "a wildcard may only stand for the first part"},
		{"a wildcard IP", "https://*.127.0.0.1", "", "not an IP address"},
		{"no scheme", "inbox.example.com", "", "write it as https://inbox.example.com"},
		{"another scheme", "ftp://inbox.example.com", "", "only https:// and http://"},
		{"a user name", "https://ada@inbox.example.com", "", "holds a user name"},
		{"a bad port", "https://inbox.example.com:99999", "", "port"},
		{"quotes", "https://inbox.example.com'", "", "is not an origin"},
		{"an invalid host", "https://exa_mple.com", "", "valid host name"},
		{"none with others", "'none' https://inbox.example.com", "", "'none' cannot be combined"},
		{"a 50,000-character origin", "https://" + strings.Repeat("a", 50000) + ".com", "", "characters"},
		{"a 301-character origin", "https://" + strings.Repeat("a", 289) + ".com", "", "is 301 characters long; an origin is at most 300"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateFrameAncestors(tt.in)
			if tt.errPart != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errPart) {
					t.Fatalf("err %v, want it to say %q", err, tt.errPart)
				}
				if len(err.Error()) > 500 {
					t.Errorf("the error quotes too much: %d characters", len(err.Error()))
				}
				return
			}
			if err != nil || strings.Join(got, " ") != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
