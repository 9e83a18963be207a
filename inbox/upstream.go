package inbox

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
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
		return Call{}, rejectSeen(ErrUnavailable, transportFailure(err), "%s didn't answer. Reopen the conversation in a moment; if it keeps happening, ask an admin to check the installation's %s URL.", helpdesk, helpdesk)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return Call{}, rejectSeen(ErrUnavailable, "an answer that was cut off", "%s's answer was cut off. Reopen the conversation in a moment.", helpdesk)
	}
	if len(body) > MaxBody {
		return Call{}, rejectSeen(ErrUnavailable, "an answer over 1 MiB, which is not what its API sends", "%s answered with more than shopcard reads. Ask an admin to check the installation's %s URL.", helpdesk, helpdesk)
	}
	return Call{Status: resp.StatusCode, Body: body}, nil
}

// transportFailure says why no answer came, as far as an admin can act on
// it: a name that doesn't resolve, a refused connection, a certificate, or
// the time limit.
func transportFailure(err error) string {
	var dns *net.DNSError
	var cert *tls.CertificateVerificationError
	var ne net.Error
	switch {
	case errors.As(err, &dns):
		return "no answer: its host name couldn't be found"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "no answer: the connection was refused"
	case errors.As(err, &cert):
		return "no answer: its TLS certificate couldn't be verified"
	case errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("no answer within %s", Timeout)
	}
	return "no answer: the connection failed"
}

// seen carries, under a refusal's reason, what shopcard saw of the
// helpdesk's answer ("status 502", "a redirect"): the refusal's message is
// written for the rep in the helpdesk's frame, and the admin testing an
// installation needs the fact itself. It never holds a credential or
// anything the helpdesk said about a contact.
type seen struct {
	reason error
	what   string
}

func (s *seen) Error() string { return s.reason.Error() + ": " + s.what }
func (s *seen) Unwrap() error { return s.reason }

// rejectSeen is Reject with what was seen of the answer.
func rejectSeen(reason error, what, message string, args ...any) error {
	return &domain.Error{Kind: kindFor(reason), Message: fmt.Sprintf(message, args...), Err: &seen{reason: reason, what: what}}
}

// Seen is what shopcard saw of the helpdesk's answer behind a refusal, in
// a few words, or "" when the refusal isn't about an answer.
func Seen(err error) string {
	var s *seen
	if errors.As(err, &s) {
		return s.what
	}
	return ""
}

// Decode reads a JSON answer into v; an answer that isn't is
// ErrUnavailable, since the helpdesk (or whatever is at its URL) did not
// speak its API.
func (c Call) Decode(v any, helpdesk string) error {
	if err := json.Unmarshal(c.Body, v); err != nil {
		return rejectSeen(ErrUnavailable, "an answer that isn't its API's JSON", "%s's answer couldn't be read. Ask an admin to check the installation's %s URL.", helpdesk, helpdesk)
	}
	return nil
}

// CommonStatus turns the statuses every helpdesk API shares into their
// refusals: a refused credential, a redirect (never followed) and a
// failure on the helpdesk's side. It returns nil for anything else, which
// the adapter reads.
func (c Call) CommonStatus(helpdesk, credential string) error {
	status := fmt.Sprintf("status %d", c.Status)
	switch {
	case c.Status == http.StatusUnauthorized || c.Status == http.StatusForbidden:
		return rejectSeen(ErrCredentials, status, "%s refused the installation's %s. Ask an admin to enter a new one in shopcard (Inboxes).", helpdesk, credential)
	case c.Status == http.StatusTooManyRequests:
		return rejectSeen(ErrUnavailable, status+" (too many requests)", "%s is limiting shopcard's requests. Reopen the conversation in a minute.", helpdesk)
	case c.Status >= 300 && c.Status < 400:
		return rejectSeen(ErrUnavailable, "a redirect ("+status+"), which shopcard doesn't follow", "%s answered with a redirect, which shopcard doesn't follow. Ask an admin to check the installation's %s URL.", helpdesk, helpdesk)
	case c.Status >= 500:
		return rejectSeen(ErrUnavailable, status, "%s had a problem (status %d). Reopen the conversation in a moment.", helpdesk, c.Status)
	}
	return nil
}

// Unexpected is the refusal for a status an adapter doesn't expect.
func (c Call) Unexpected(helpdesk string) error {
	return rejectSeen(ErrUnavailable, fmt.Sprintf("status %d", c.Status), "%s answered with status %d, which shopcard doesn't expect. Ask an admin to check the installation.", helpdesk, c.Status)
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
