package embedtoken

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"shopcard/domain"
)

// changingWorld is a workspace whose secrets and clock a test changes
// between verifications.
type changingWorld struct {
	mu      sync.Mutex
	secrets map[string][]domain.Secret
	now     time.Time
}

func (w *changingWorld) set(ws string, secrets ...domain.Secret) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.secrets[ws] = secrets
}

func (w *changingWorld) at(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = t
}

func (w *changingWorld) verifier(t *testing.T) *Verifier {
	v := NewVerifier(func(_ context.Context, ws string) ([]domain.Secret, error) {
		w.mu.Lock()
		defer w.mu.Unlock()
		s, ok := w.secrets[ws]
		if !ok {
			return nil, domain.Errorf(domain.KindNotFound, "no such workspace")
		}
		return s, nil
	}, func() time.Time {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.now
	}, 0)
	t.Cleanup(v.Close)
	return v
}

// verifyRemembered verifies a token and waits until it is remembered.
func verifyRemembered(t *testing.T, v *Verifier, tok string) {
	t.Helper()
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	v.verified.c.Wait()
	if _, ok := v.verified.c.Get(tok); !ok {
		t.Fatal("a verified token was not remembered")
	}
}

// A remembered token is accepted again only as long as full verification
// would accept it: every change to its secrets or its times takes effect
// at once, with the same reason.
func TestRememberedTokensFollowEveryChange(t *testing.T) {
	newSecret := domain.NewSecret("the-next-secret-the-next-secret-00")
	tests := []struct {
		name   string
		signed domain.Secret
		before func(w *changingWorld)
		change func(w *changingWorld)
		want   error
	}{
		{"nothing changed", secret, nil, func(w *changingWorld) {}, nil},
		{"secret rotated without grace", secret, nil, func(w *changingWorld) { w.set("acme", newSecret) }, ErrBadSignature},
		{"grace period over", oldSecret, func(w *changingWorld) { w.set("acme", newSecret, oldSecret) }, func(w *changingWorld) { w.set("acme", newSecret) }, ErrBadSignature},
		{"rotated with grace", oldSecret, nil, func(w *changingWorld) { w.set("acme", newSecret, oldSecret) }, nil},
		{"workspace deleted", secret, nil, func(w *changingWorld) { delete(w.secrets, "acme") }, ErrUnknownWorkspace},
		{"expired", secret, nil, func(w *changingWorld) { w.at(now.Add(time.Hour + Leeway)) }, ErrExpired},
		{"expired but within leeway", secret, nil, func(w *changingWorld) { w.at(now.Add(time.Hour + Leeway - time.Second)) }, nil},
		{"clock went back before issue", secret, nil, func(w *changingWorld) { w.at(now.Add(-Leeway - time.Second)) }, ErrNotYetValid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &changingWorld{secrets: map[string][]domain.Secret{"acme": {tt.signed}}, now: now}
			if tt.before != nil {
				tt.before(w)
			}
			v := w.verifier(t)
			tok := mint(t, tt.signed, Claims{Workspace: "acme", Email: "ada@example.com"}, now, time.Hour)
			verifyRemembered(t, v, tok)
			tt.change(w)
			_, err := v.Verify(context.Background(), tok)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRememberedClaimsAreCopies(t *testing.T) {
	w := &changingWorld{secrets: map[string][]domain.Secret{"acme": {secret}}, now: now}
	v := w.verifier(t)
	tok := mint(t, secret, Claims{Workspace: "acme", Email: "ada@example.com", Emails: []string{"a.lovelace@example.com"}}, now, time.Hour)
	verifyRemembered(t, v, tok)
	c, err := v.Verify(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	c.Emails[0] = "mallory@example.com"
	c, _ = v.Verify(context.Background(), tok)
	if c.Emails[0] != "a.lovelace@example.com" {
		t.Errorf("a caller changed a remembered token's claims: %v", c.Emails)
	}
}

// Rejected tokens are never remembered, so forged ones cannot fill the
// memory.
func TestRejectedTokensAreNotRemembered(t *testing.T) {
	w := &changingWorld{secrets: map[string][]domain.Secret{"acme": {secret}}, now: now}
	v := w.verifier(t)
	forged := mint(t, domain.NewSecret("not-the-secret-not-the-secret-000"), Claims{Workspace: "acme", Email: "ada@example.com"}, now, time.Hour)
	noContact := mint(t, secret, Claims{Workspace: "acme", Email: "not an email"}, now, time.Hour)
	for _, tok := range []string{forged, noContact} {
		if _, err := v.Verify(context.Background(), tok); err == nil {
			t.Fatal("accepted")
		}
	}
	v.verified.c.Wait()
	for _, tok := range []string{forged, noContact} {
		if _, ok := v.verified.c.Get(tok); ok {
			t.Error("a rejected token was remembered")
		}
	}
}

func TestVerifierUnverifiedWorkspace(t *testing.T) {
	w := &changingWorld{secrets: map[string][]domain.Secret{"acme": {secret}}, now: now}
	v := w.verifier(t)
	tok := mint(t, secret, Claims{Workspace: "acme", Email: "ada@example.com"}, now, time.Hour)
	forged := mint(t, domain.NewSecret("not-the-secret-not-the-secret-000"), Claims{Workspace: "other", Email: "ada@example.com"}, now, time.Hour)
	if v.UnverifiedWorkspace(tok) != "acme" || v.UnverifiedWorkspace(forged) != "other" || v.UnverifiedWorkspace("junk") != "" {
		t.Error("before verification")
	}
	verifyRemembered(t, v, tok)
	if v.UnverifiedWorkspace(" "+tok+" ") != "acme" || v.UnverifiedWorkspace(forged) != "other" {
		t.Error("after verification")
	}
}
