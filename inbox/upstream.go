package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"shopcard/domain"
)

// Timeout bounds one call to a helpdesk's API, connection included: the
// sidebar waits for it before anything shows.
const Timeout = 5 * time.Second

// MaxBody bounds how much of a helpdesk's answer is read.
const MaxBody = 1 << 20

// ValidateBaseURL checks a helpdesk URL an admin entered: https (http only
// for a loopback address, as tests and the demo use), a host, nothing
// after the path. It returns the URL without a trailing slash.
func ValidateBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || len(raw) > 300 {
		return "", domain.Errorf(domain.KindInvalid, "%q is not a URL such as https://chatwoot.example.com.", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", domain.Errorf(domain.KindInvalid, "%q must use https: shopcard sends the installation's API token there.", raw)
		}
	default:
		return "", domain.Errorf(domain.KindInvalid, "%q is not a URL such as https://chatwoot.example.com.", raw)
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Origin is a URL's scheme and host, "" for anything else.
func Origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// NewHTTPClient returns the client every call to a helpdesk goes through:
// bounded by Timeout, and never following a redirect, which would carry
// the installation's credentials to wherever the answer pointed.
func NewHTTPClient() *http.Client {
	return &http.Client{
		Timeout: Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// Call is one request to a helpdesk's API and what came back.
type Call struct {
	Status int
	Body   []byte
}

// Do sends a request and reads at most MaxBody of the answer. A transport
// failure or a timeout is ErrUnavailable; the caller reads the status.
func Do(ctx context.Context, client *http.Client, req *http.Request, helpdesk string) (Call, error) {
	req = req.WithContext(ctx)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "shopcard")
	resp, err := client.Do(req)
	if err != nil {
		return Call{}, Reject(ErrUnavailable, "%s didn't answer. Reopen the conversation in a moment; if it keeps happening, ask an admin to check the installation's %s URL.", helpdesk, helpdesk)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return Call{}, Reject(ErrUnavailable, "%s's answer was cut off. Reopen the conversation in a moment.", helpdesk)
	}
	if len(body) > MaxBody {
		return Call{}, Reject(ErrUnavailable, "%s answered with more than shopcard reads. Ask an admin to check the installation's %s URL.", helpdesk, helpdesk)
	}
	return Call{Status: resp.StatusCode, Body: body}, nil
}

// Decode reads a JSON answer into v; an answer that isn't is
// ErrUnavailable, since the helpdesk (or whatever is at its URL) did not
// speak its API.
func (c Call) Decode(v any, helpdesk string) error {
	if err := json.Unmarshal(c.Body, v); err != nil {
		return Reject(ErrUnavailable, "%s's answer couldn't be read. Ask an admin to check the installation's %s URL.", helpdesk, helpdesk)
	}
	return nil
}

// CommonStatus turns the statuses every helpdesk API shares into their
// refusals: a refused credential, a redirect (never followed) and a
// failure on the helpdesk's side. It returns nil for anything else, which
// the adapter reads.
func (c Call) CommonStatus(helpdesk, credential string) error {
	switch {
	case c.Status == http.StatusUnauthorized || c.Status == http.StatusForbidden:
		return Reject(ErrCredentials, "%s refused the installation's %s. Ask an admin to enter a new one in shopcard (Inboxes).", helpdesk, credential)
	case c.Status == http.StatusTooManyRequests:
		return Reject(ErrUnavailable, "%s is limiting shopcard's requests. Reopen the conversation in a minute.", helpdesk)
	case c.Status >= 300 && c.Status < 400:
		return Reject(ErrUnavailable, "%s answered with a redirect, which shopcard doesn't follow. Ask an admin to check the installation's %s URL.", helpdesk, helpdesk)
	case c.Status >= 500:
		return Reject(ErrUnavailable, "%s had a problem (status %d). Reopen the conversation in a moment.", helpdesk, c.Status)
	}
	return nil
}

// Unexpected is the refusal for a status an adapter doesn't expect.
func (c Call) Unexpected(helpdesk string) error {
	return Reject(ErrUnavailable, "%s answered with status %d, which shopcard doesn't expect. Ask an admin to check the installation.", helpdesk, c.Status)
}

// NotConfigured is the refusal for an installation missing a setting.
func NotConfigured(helpdesk, what string) error {
	return Reject(ErrNotConfigured, "This %s installation has no %s yet. Ask an admin to finish setting it up in shopcard (Inboxes).", helpdesk, what)
}

// IsReason reports whether err carries reason.
func IsReason(err, reason error) bool { return errors.Is(err, reason) }

// JoinURL puts a path under a base URL, escaping each segment.
func JoinURL(base string, segments ...string) string {
	var b strings.Builder
	b.WriteString(strings.TrimRight(base, "/"))
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}
