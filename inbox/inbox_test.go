package inbox_test

import (
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
