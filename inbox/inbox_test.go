package inbox_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/inbox"
)

func TestValidateBaseURL(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"https://chat.acme.example/", "https://chat.acme.example", true},
		{"https://chat.acme.example/chatwoot", "https://chat.acme.example/chatwoot", true},
		{"http://127.0.0.1:3000", "http://127.0.0.1:3000", true},
		{"http://localhost:3000", "http://localhost:3000", true},
		{"http://chat.acme.example", "", false},
		{"ftp://chat.acme.example", "", false},
		{"https://user:pw@chat.acme.example", "", false},
		{"https://chat.acme.example/?x=1", "", false},
		{"chat.acme.example", "", false},
	}
	for _, tt := range tests {
		got, err := inbox.ValidateBaseURL(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ValidateBaseURL(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestNewContactNormalizesTheHelpdesksEmails(t *testing.T) {
	c, err := inbox.NewContact("  Maya ", " Maya.Chen@Example.com", "maya.chen@example.com", "not an email", "", "b@x.example", "c@x.example", "d@x.example", "e@x.example", "f@x.example")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"maya.chen@example.com", "b@x.example", "c@x.example", "d@x.example", "e@x.example"}
	if c.Name != "Maya" || len(c.Emails) != len(want) {
		t.Fatalf("got %+v", c)
	}
	for i := range want {
		if c.Emails[i] != want[i] {
			t.Errorf("email %d = %q, want %q", i, c.Emails[i], want[i])
		}
	}
	if _, err := inbox.NewContact("x", "", "no-at-sign"); !inbox.IsReason(err, inbox.ErrNoEmail) {
		t.Errorf("no address: %v", err)
	}
}

func TestGrants(t *testing.T) {
	secret, other := domain.NewSecret("workspace-secret"), domain.NewSecret("another-secret")
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	id, _ := inbox.NewID()
	g := inbox.SignGrant(secret, id, now, time.Hour)
	tests := []struct {
		name    string
		secrets []domain.Secret
		id      string
		grant   string
		at      time.Time
		reason  error
	}{
		{"valid", []domain.Secret{secret}, id, g, now, nil},
		{"valid with the previous secret", []domain.Secret{other, secret}, id, g, now, nil},
		{"other secret", []domain.Secret{other}, id, g, now, inbox.ErrBadProof},
		{"other installation", []domain.Secret{secret}, "aaaaaaaaaaaaaaaaaaaa", g, now, inbox.ErrBadProof},
		{"expired", []domain.Secret{secret}, id, g, now.Add(time.Hour + time.Second), inbox.ErrExpired},
		{"tampered expiry", []domain.Secret{secret}, id, g[:len(id)+1] + "AAAAAAAAAAA" + g[len(id)+12:], now, inbox.ErrBadProof},
		{"junk", []domain.Secret{secret}, id, "junk", now, inbox.ErrBadProof},
	}
	for _, tt := range tests {
		err := inbox.VerifyGrant(tt.secrets, tt.id, tt.grant, tt.at)
		if tt.reason == nil && err != nil || tt.reason != nil && !inbox.IsReason(err, tt.reason) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.reason)
		}
	}
}

func TestLimiterIsPerInstallation(t *testing.T) {
	now := time.Unix(0, 0)
	l := inbox.NewLimiter(1, 2, func() time.Time { return now })
	if !l.Allow("a") || !l.Allow("a") || l.Allow("a") {
		t.Error("a's burst of 2 not enforced")
	}
	if !l.Allow("b") {
		t.Error("b shares a's allowance")
	}
	now = now.Add(time.Second)
	if !l.Allow("a") {
		t.Error("a's allowance did not refill")
	}
}

// TestSeenSaysWhatCameBack checks that each refusal of a helpdesk's answer
// carries its reason and, for the admin's test button, what shopcard saw.
func TestSeenSaysWhatCameBack(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	tests := []struct {
		name   string
		answer http.HandlerFunc // nil: nothing listens
		reason error
		seen   string
	}{
		{"nothing listening", nil, inbox.ErrUnavailable, "no answer: the connection was refused"},
		{"refused credentials", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(401) }, inbox.ErrCredentials, "status 401"},
		{"forbidden", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(403) }, inbox.ErrCredentials, "status 403"},
		{"rate limited", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(429) }, inbox.ErrUnavailable, "status 429 (too many requests)"},
		{"redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "https://elsewhere.example/", 302) }, inbox.ErrUnavailable, "a redirect (status 302), which shopcard doesn't follow"},
		{"server error", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(503) }, inbox.ErrUnavailable, "status 503"},
		{"unexpected status", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(418) }, inbox.ErrUnavailable, "status 418"},
		{"not JSON", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<html>")) }, inbox.ErrUnavailable, "an answer that isn't its API's JSON"},
		{"too long", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(strings.Repeat(" ", inbox.MaxBody+1))) }, inbox.ErrUnavailable, "an answer over 1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := closed.URL
			if tt.answer != nil {
				srv := httptest.NewServer(tt.answer)
				defer srv.Close()
				base = srv.URL
			}
			req, _ := http.NewRequest(http.MethodGet, base+"/api", nil)
			call, err := inbox.Do(t.Context(), inbox.NewHTTPClient(), req, "Helpdesk")
			if err == nil {
				err = call.CommonStatus("Helpdesk", "token")
			}
			if err == nil && call.Status != http.StatusOK {
				err = call.Unexpected("Helpdesk")
			}
			if err == nil {
				var v map[string]any
				err = call.Decode(&v, "Helpdesk")
			}
			if !inbox.IsReason(err, tt.reason) {
				t.Fatalf("%v, want reason %v", err, tt.reason)
			}
			if got := inbox.Seen(err); !strings.HasPrefix(got, tt.seen) {
				t.Errorf("seen %q, want %q", got, tt.seen)
			}
			if inbox.ReasonOf(err) == "error" {
				t.Error("the refusal lost its reason for logs")
			}
		})
	}
	if inbox.Seen(inbox.Reject(inbox.ErrBadProof, "x")) != "" {
		t.Error("a refusal that isn't about an answer says what was seen")
	}
}
