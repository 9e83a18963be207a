// Package config reads shopcard's settings from the environment. Every
// variable is listed in Vars, which the README's reference mirrors.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/idna"

	"shopcard/domain"
	"shopcard/shopify"
)

// Config is everything the server needs to know from its operator.
type Config struct {
	DB             string        // SHOPCARD_DB
	SecretKey      string        // SHOPCARD_SECRET_KEY (hex or base64, 32 bytes)
	SecretKeyFile  string        // SHOPCARD_SECRET_KEY_FILE
	ShopifyURL     string        // SHOPCARD_SHOPIFY_URL
	ShopifyTimeout time.Duration // SHOPCARD_SHOPIFY_TIMEOUT
	CacheTTL       time.Duration // SHOPCARD_CACHE_TTL
	CacheMaxBytes  int64         // SHOPCARD_CACHE_MAX_BYTES
	StaleTTL       time.Duration // SHOPCARD_STALE_TTL (0 keeps no stale answers)
	StaleMaxBytes  int64         // SHOPCARD_STALE_MAX_BYTES
	RenderMaxBytes int64         // SHOPCARD_RENDER_CACHE_MAX_BYTES (0 keeps none)
	FrameAncestors []string      // SHOPCARD_FRAME_ANCESTORS
	TokenMaxLife   time.Duration // SHOPCARD_TOKEN_MAX_LIFETIME
	PublicURL      string        // SHOPCARD_PUBLIC_URL
	LogLevel       string        // SHOPCARD_LOG_LEVEL
	LogFormat      string        // SHOPCARD_LOG_FORMAT

	MetricsToken domain.Secret // SHOPCARD_METRICS_TOKEN
	MetricsAddr  string        // SHOPCARD_METRICS_ADDR ("" when off)

	ShopifyClientID     string        // SHOPCARD_SHOPIFY_CLIENT_ID
	ShopifyClientSecret domain.Secret // SHOPCARD_SHOPIFY_CLIENT_SECRET
	TrustedProxies      []*net.IPNet  // SHOPCARD_TRUSTED_PROXIES
}

// OAuthEnabled reports whether admins can connect stores with Shopify
// OAuth: it needs the app's credentials and the public URL Shopify
// redirects back to.
func (c Config) OAuthEnabled() bool {
	return c.ShopifyClientID != "" && !c.ShopifyClientSecret.IsZero() && c.PublicURL != ""
}

// HTTPS reports whether the operator says shopcard is reached over https,
// so cookies must be Secure even behind a proxy that ends TLS.
func (c Config) HTTPS() bool { return strings.HasPrefix(c.PublicURL, "https://") }

// Var documents one environment variable.
type Var struct {
	Name, Default, Help string
}

// Vars lists every environment variable shopcard reads.
var Vars = []Var{
	{"SHOPCARD_DB", "shopcard.db", "Path of the SQLite database (also --db)."},
	{"SHOPCARD_SECRET_KEY", "", "32-byte key that encrypts tokens and secrets at rest, as 64 hex digits or base64. When unset, a key file is used."},
	{"SHOPCARD_SECRET_KEY_FILE", "<db path>.key", "Key file, created with mode 0600 holding a random key on first run, when SHOPCARD_SECRET_KEY is unset. Missing while the database holds secrets, or not the database's key: shopcard refuses to start."},
	{"SHOPCARD_SHOPIFY_URL", shopify.DefaultURLTemplate, "Where Shopify requests go: a URL template with {shop}. Override only for tests and staging, e.g. http://127.0.0.1:9999/shops/{shop}."},
	{"SHOPCARD_SHOPIFY_TIMEOUT", "8s", "Deadline for one store's Shopify answer (Go duration)."},
	{"SHOPCARD_CACHE_TTL", "60s", "How long a Shopify answer is served from memory (Go duration)."},
	{"SHOPCARD_CACHE_MAX_BYTES", "67108864", "Upper bound on the memory cached answers use, in bytes (suffixes KiB, MiB, GiB allowed)."},
	{"SHOPCARD_STALE_TTL", "24h", "How long the last good answer for each contact is kept, to show (marked with its age) when Shopify does not answer (Go duration; 0 keeps none)."},
	{"SHOPCARD_STALE_MAX_BYTES", "67108864", "Upper bound on the memory those last good answers use, in bytes (suffixes KiB, MiB, GiB allowed)."},
	{"SHOPCARD_RENDER_CACHE_MAX_BYTES", "16777216", "Upper bound on the memory rendered store sections use, kept to send again while their answers are cached, in bytes (suffixes allowed; 0 keeps none)."},
	{"SHOPCARD_FRAME_ANCESTORS", "'none'", "Space-separated origins allowed to embed the sidebar in an iframe (CSP frame-ancestors), e.g. https://inbox.example.com: at most 20, each a scheme and a host (and a port), a wildcard only as the first label."},
	{"SHOPCARD_TOKEN_MAX_LIFETIME", "24h", "The longest an embed token may be made to last, exp − iat (Go duration); longer-lived tokens are refused."},
	{"SHOPCARD_PUBLIC_URL", "", "The https URL shopcard is reached at; used for OAuth redirects, webhooks and Secure cookies."},
	{"SHOPCARD_SHOPIFY_CLIENT_ID", "", "Client ID of your Shopify app. With SHOPCARD_SHOPIFY_CLIENT_SECRET and SHOPCARD_PUBLIC_URL, admins can connect stores with OAuth."},
	{"SHOPCARD_SHOPIFY_CLIENT_SECRET", "", "Client secret of your Shopify app; verifies OAuth callbacks, renews expiring tokens and verifies webhooks from stores connected through the app (not needed for Dev Dashboard apps, whose credentials each store brings)."},
	{"SHOPCARD_TRUSTED_PROXIES", "", "Space-separated IPs or CIDR ranges of reverse proxies whose X-Forwarded-For is believed, for sign-in throttling per IP. Empty: the connecting address is the client's."},
	{"SHOPCARD_METRICS_ADDR", DefaultMetricsAddr, "Where serve answers GET /metrics on a listener of its own, away from the public port: host:port, loopback by default, or off. The public port serves /metrics only with SHOPCARD_METRICS_TOKEN."},
	{"SHOPCARD_METRICS_TOKEN", "", "A bearer token that opens /metrics (Authorization: Bearer …), on the public port and the metrics listener alike. Unset: the public port serves no metrics, since they name every store."},
	{"SHOPCARD_LOG_LEVEL", "info", "debug, info, warn or error."},
	{"SHOPCARD_LOG_FORMAT", "text", "text or json."},
}

// DefaultMetricsAddr is where metrics are served unless the operator says
// otherwise: loopback, so only the host's own agents can read them.
const DefaultMetricsAddr = "127.0.0.1:9464"

// Load reads the configuration. dbFlag, when not empty, overrides SHOPCARD_DB.
func Load(getenv func(string) string, dbFlag string) (Config, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		for _, v := range Vars {
			if v.Name == name {
				return v.Default
			}
		}
		return ""
	}
	var errs []error
	c := Config{
		DB:         get("SHOPCARD_DB"),
		SecretKey:  strings.TrimSpace(getenv("SHOPCARD_SECRET_KEY")),
		ShopifyURL: get("SHOPCARD_SHOPIFY_URL"),
		PublicURL:  strings.TrimRight(get("SHOPCARD_PUBLIC_URL"), "/"),
		LogLevel:   get("SHOPCARD_LOG_LEVEL"),
		LogFormat:  get("SHOPCARD_LOG_FORMAT"),
	}
	if dbFlag != "" {
		c.DB = dbFlag
	}
	c.SecretKeyFile = strings.TrimSpace(getenv("SHOPCARD_SECRET_KEY_FILE"))
	if c.SecretKeyFile == "" {
		c.SecretKeyFile = defaultKeyFile(c.DB)
	}
	var err error
	if c.ShopifyTimeout, err = duration("SHOPCARD_SHOPIFY_TIMEOUT", get("SHOPCARD_SHOPIFY_TIMEOUT")); err != nil {
		errs = append(errs, err)
	}
	if c.CacheTTL, err = duration("SHOPCARD_CACHE_TTL", get("SHOPCARD_CACHE_TTL")); err != nil {
		errs = append(errs, err)
	}
	if c.CacheMaxBytes, err = ParseBytes(get("SHOPCARD_CACHE_MAX_BYTES")); err != nil {
		errs = append(errs, fmt.Errorf("SHOPCARD_CACHE_MAX_BYTES: %w", err))
	} else if c.CacheMaxBytes < 1<<20 {
		errs = append(errs, fmt.Errorf("SHOPCARD_CACHE_MAX_BYTES: at least 1MiB, got %d bytes", c.CacheMaxBytes))
	}
	if v := get("SHOPCARD_STALE_TTL"); v == "0" {
		c.StaleTTL = 0
	} else if c.StaleTTL, err = duration("SHOPCARD_STALE_TTL", v); err != nil {
		errs = append(errs, err)
	}
	if c.StaleMaxBytes, err = ParseBytes(get("SHOPCARD_STALE_MAX_BYTES")); err != nil {
		errs = append(errs, fmt.Errorf("SHOPCARD_STALE_MAX_BYTES: %w", err))
	} else if c.StaleMaxBytes < 1<<20 {
		errs = append(errs, fmt.Errorf("SHOPCARD_STALE_MAX_BYTES: at least 1MiB, got %d bytes", c.StaleMaxBytes))
	}
	if c.RenderMaxBytes, err = ParseBytes(get("SHOPCARD_RENDER_CACHE_MAX_BYTES")); err != nil {
		errs = append(errs, fmt.Errorf("SHOPCARD_RENDER_CACHE_MAX_BYTES: %w", err))
	} else if c.RenderMaxBytes != 0 && c.RenderMaxBytes < 1<<20 {
		errs = append(errs, fmt.Errorf("SHOPCARD_RENDER_CACHE_MAX_BYTES: 0 or at least 1MiB, got %d bytes", c.RenderMaxBytes))
	}
	if c.TokenMaxLife, err = duration("SHOPCARD_TOKEN_MAX_LIFETIME", get("SHOPCARD_TOKEN_MAX_LIFETIME")); err != nil {
		errs = append(errs, err)
	}
	if c.FrameAncestors, err = ParseFrameAncestors(get("SHOPCARD_FRAME_ANCESTORS")); err != nil {
		errs = append(errs, err)
	}
	if err := shopify.ValidateURLTemplate(c.ShopifyURL); err != nil {
		errs = append(errs, err)
	}
	c.ShopifyClientID = strings.TrimSpace(getenv("SHOPCARD_SHOPIFY_CLIENT_ID"))
	c.ShopifyClientSecret = domain.NewSecret(strings.TrimSpace(getenv("SHOPCARD_SHOPIFY_CLIENT_SECRET")))
	if (c.ShopifyClientID == "") != c.ShopifyClientSecret.IsZero() {
		errs = append(errs, errors.New("SHOPCARD_SHOPIFY_CLIENT_ID and SHOPCARD_SHOPIFY_CLIENT_SECRET go together: set both, or neither"))
	}
	c.MetricsToken = domain.NewSecret(strings.TrimSpace(getenv("SHOPCARD_METRICS_TOKEN")))
	if n := len(c.MetricsToken.Reveal()); n > 0 && n < 16 {
		errs = append(errs, fmt.Errorf("SHOPCARD_METRICS_TOKEN: use at least 16 random characters (try: openssl rand -hex 24), got %d", n))
	}
	if c.MetricsAddr, err = parseMetricsAddr(get("SHOPCARD_METRICS_ADDR")); err != nil {
		errs = append(errs, err)
	}
	if c.TrustedProxies, err = ParseTrustedProxies(getenv("SHOPCARD_TRUSTED_PROXIES")); err != nil {
		errs = append(errs, err)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("SHOPCARD_PUBLIC_URL %q must be an absolute http(s) URL", c.PublicURL))
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("SHOPCARD_LOG_LEVEL %q: use debug, info, warn or error", c.LogLevel))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("SHOPCARD_LOG_FORMAT %q: use text or json", c.LogFormat))
	}
	return c, errors.Join(errs...)
}

// parseMetricsAddr reads SHOPCARD_METRICS_ADDR: host:port, or off.
func parseMetricsAddr(v string) (string, error) {
	if strings.EqualFold(v, "off") {
		return "", nil
	}
	if _, _, err := net.SplitHostPort(v); err != nil {
		return "", fmt.Errorf("SHOPCARD_METRICS_ADDR %q: want host:port such as 127.0.0.1:9464, or off", v)
	}
	return v, nil
}

// MetricsOnLoopback reports whether the metrics listener's address can be
// reached only from the host itself.
func (c Config) MetricsOnLoopback() bool {
	host, _, err := net.SplitHostPort(c.MetricsAddr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func defaultKeyFile(db string) string {
	if db == ":memory:" {
		return filepath.Join(".", "shopcard-memory.key")
	}
	return db + ".key"
}

func duration(name, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s %q: want a positive Go duration such as 60s or 2m", name, v)
	}
	return d, nil
}

// ParseBytes reads a byte count such as 67108864, 64MiB or 1GiB.
func ParseBytes(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.n
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a byte count", s)
	}
	return n * mult, nil
}

// ParseFrameAncestors checks a CSP frame-ancestors source list: 'self',
// 'none', or http(s) origins (with an optional leading *. wildcard).
func ParseFrameAncestors(s string) ([]string, error) {
	fields, err := ValidateFrameAncestors(s)
	if err != nil {
		return nil, fmt.Errorf("SHOPCARD_FRAME_ANCESTORS: %w", err)
	}
	if len(fields) == 0 {
		return []string{"'none'"}, nil
	}
	return fields, nil
}

// MaxFrameAncestors bounds a source list, which goes into every sidebar
// response's headers.
const MaxFrameAncestors = 20

// MaxOriginLength bounds one origin: a host name is at most 253
// characters, so with a scheme and a port a real origin stays under it.
const MaxOriginLength = 300

// maxFrameAncestorsInput bounds what is parsed at all.
const maxFrameAncestorsInput = MaxFrameAncestors * (MaxOriginLength + 1)

// ValidateFrameAncestors checks a frame-ancestors source list the same way
// for the operator's setting and a workspace's, as browsers match it:
// 'self', 'none', or http(s) origins, a scheme and a host with an
// optional port and nothing else (a path or query would never match), the
// host in ASCII (an international name is converted to punycode, the form
// browsers compare), with a wildcard only as its first label
// (https://*.example.com). Origins are separated by spaces, at most
// MaxFrameAncestors of them, each at most MaxOriginLength long; they come
// back normalized, without duplicates. Its errors are sentences an admin
// can act on. An empty list is valid and empty.
func ValidateFrameAncestors(s string) ([]string, error) {
	if len(s) > maxFrameAncestorsInput {
		return nil, fmt.Errorf("that is %d characters: list at most %d origins of at most %d characters each", len(s), MaxFrameAncestors, MaxOriginLength)
	}
	fields := strings.Fields(s)
	if len(fields) > MaxFrameAncestors {
		return nil, fmt.Errorf("list at most %d origins, not %d", MaxFrameAncestors, len(fields))
	}
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		o, err := normalizeOrigin(f)
		if err != nil {
			return nil, err
		}
		if !contains(out, o) {
			out = append(out, o)
		}
	}
	if len(out) > 1 && contains(out, "'none'") {
		return nil, errors.New("'none' cannot be combined with other sources")
	}
	return out, nil
}

// normalizeOrigin checks one source of a frame-ancestors list and returns
// it as browsers compare it.
func normalizeOrigin(f string) (string, error) {
	switch strings.ToLower(f) {
	case "'self'":
		return "'self'", nil
	case "'none'":
		return "'none'", nil
	}
	if len(f) > MaxOriginLength {
		return "", fmt.Errorf("%q… is %d characters long; an origin is at most %d", f[:40], len(f), MaxOriginLength)
	}
	example := "an origin such as https://inbox.example.com"
	if strings.Contains(f, ",") {
		return "", fmt.Errorf("separate origins with spaces, not commas (%q)", f)
	}
	if strings.ContainsAny(f, ";'\"\\") {
		return "", fmt.Errorf("%q is not %s", f, example)
	}
	if !strings.Contains(f, "://") {
		if strings.ContainsAny(f, ":/") {
			return "", fmt.Errorf("%q is not %s", f, example)
		}
		return "", fmt.Errorf("%q has no scheme: write it as https://%s", f, f)
	}
	u, err := url.Parse(f)
	if err != nil {
		return "", fmt.Errorf("%q is not %s", f, example)
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme != "https" && scheme != "http":
		return "", fmt.Errorf("%q is not %s: only https:// and http:// origins can frame the sidebar", f, example)
	case u.User != nil:
		return "", fmt.Errorf("%q holds a user name; an origin is only a scheme and a host, such as https://inbox.example.com", f)
	case (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.HasSuffix(f, "#"):
		return "", fmt.Errorf("%q has a path or query, which browsers ignore when they compare origins, so it would never match: use only the scheme and host, such as https://inbox.example.com", f)
	}
	host, port := u.Hostname(), u.Port()
	wildcard := strings.HasPrefix(host, "*.")
	name := strings.TrimPrefix(host, "*.")
	if name == "" || strings.Contains(name, "*") {
		return "", fmt.Errorf("%q: a wildcard may only stand for the first part of the host, as in https://*.example.com", f)
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("%q has a port that is not a number from 1 to 65535", f)
		}
		port = ":" + port
	}
	if ip := net.ParseIP(name); ip != nil {
		if wildcard {
			return "", fmt.Errorf("%q: a wildcard only works with a host name, not an IP address", f)
		}
		if ip.To4() == nil {
			name = "[" + ip.String() + "]"
		}
		return scheme + "://" + name + port, nil
	}
	ascii, err := idna.Lookup.ToASCII(name)
	if err != nil || ascii == "" || len(ascii) > 253 {
		return "", fmt.Errorf("%q does not have a valid host name", f)
	}
	if wildcard {
		ascii = "*." + ascii
	}
	return scheme + "://" + ascii + port, nil
}

// ParseTrustedProxies reads a list of IP addresses and CIDR ranges.
func ParseTrustedProxies(s string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }) {
		if !strings.Contains(f, "/") {
			ip := net.ParseIP(f)
			if ip == nil {
				return nil, fmt.Errorf("SHOPCARD_TRUSTED_PROXIES: %q is not an IP address or CIDR range", f)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(f)
		if err != nil {
			return nil, fmt.Errorf("SHOPCARD_TRUSTED_PROXIES: %q is not an IP address or CIDR range", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
