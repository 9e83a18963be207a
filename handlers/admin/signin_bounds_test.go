package admin_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"shopcard/fakeshopify"
	"strings"
	"sync"
	"testing"

	"shopcard/handlers/admin"
	"shopcard/internal/apptest"
)

// proxiedEnv is the admin environment behind a trusted reverse proxy on
// loopback, so that each request names its client in X-Forwarded-For.
func proxiedEnv(t *testing.T) *adminEnv {
	t.Helper()
	return &adminEnv{apptest.Start(t, apptest.Options{Layout: apptest.AdminLayout, Env: map[string]string{"SHOPCARD_TRUSTED_PROXIES": "127.0.0.1"}})}
}

// signInFrom posts a sign-in from a client address, with the browser's
// sign-in cookie and CSRF token. It does not touch b's state, so many
// goroutines may call it at once.
func signInFrom(t *testing.T, b *apptest.Browser, baseURL, addr, email, password string) *http.Response {
	t.Helper()
	body := url.Values{"email": {email}, "password": {password}, "csrf": {b.CSRF}}.Encode()
	req, err := http.NewRequest(http.MethodPost, baseURL+"/admin/signin", strings.NewReader(body))
	if err != nil {
		t.Error(err)
		return nil
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	resp, err := b.Client.Do(req)
	if err != nil {
		t.Error(err)
		return nil
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// TestSignInBurstIsReservedBeforeHashing: 250 simultaneous wrong
// passwords for one account from one address are all answered, none with
// an error, and at most the allowed failures are checked (401): the rest
// are refused (429) before their password is hashed. Before attempts were
// reserved, every one of them was hashed, at 19 MiB each.
func TestSignInBurstIsReservedBeforeHashing(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	b := env.Browser(t)
	b.Get("/admin/signin")
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 250 {
		wg.Go(func() {
			<-start
			resp := signInFrom(t, b, env.URL, "", apptest.AdminEmail, "a wrong password, long enough")
			if resp == nil {
				return
			}
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	if n := statuses[http.StatusUnauthorized]; n < 1 || n > admin.SignInFailuresPerAccountAddress {
		t.Errorf("%d passwords checked (401), want 1 to %d", n, admin.SignInFailuresPerAccountAddress)
	}
	if statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests] != 250 {
		t.Errorf("statuses %v: want only 401 and 429", statuses)
	}
}

// TestSignInLockoutSparesTheAdminElsewhere: someone failing for the admin's
// account from their own address, as often as they like, does not refuse
// the admin's right password from another address.
func TestSignInLockoutSparesTheAdminElsewhere(t *testing.T) {
	t.Parallel()
	env := proxiedEnv(t)
	b := env.Browser(t)
	b.Get("/admin/signin")
	const attacker, adminAddr = "203.0.113.66", "198.51.100.7"
	for i := range admin.SignInFailuresPerAccountAddress + 10 {
		resp := signInFrom(t, b, env.URL, attacker, apptest.AdminEmail, "a wrong password, long enough")
		want := http.StatusUnauthorized
		if i >= admin.SignInFailuresPerAccountAddress {
			want = http.StatusTooManyRequests
		}
		if resp.StatusCode != want {
			t.Fatalf("attacker's attempt %d: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
	// The attacker's right guess would be refused too, so guessing stops.
	if resp := signInFrom(t, b, env.URL, attacker, apptest.AdminEmail, apptest.AdminPassword); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right password from the throttled address: %d, want 429", resp.StatusCode)
	}
	if resp := signInFrom(t, b, env.URL, adminAddr, apptest.AdminEmail, apptest.AdminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the admin from their own address: %d, want 303", resp.StatusCode)
	}
}

// TestFormBodiesAreBoundedFirst: every form the console accepts refuses a
// body larger than it needs with 413, before the CSRF check (which would
// parse it) and before any handler runs, whether or not the client says
// the body's length up front.
func TestFormBodiesAreBoundedFirst(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	b := env.SignIn(t, apptest.AdminEmail, apptest.AdminPassword)
	var paths []string
	for _, r := range env.App.HTTP.Routes() {
		if r.Method == http.MethodPost && strings.HasPrefix(r.Path, "/admin") {
			paths = append(paths, strings.ReplaceAll(r.Path, ":store", itoa(env.Stores[fakeshopify.AcmeDomain].ID)))
		}
	}
	if len(paths) < 10 {
		t.Fatalf("only %d admin forms found: %v", len(paths), paths)
	}
	big := "csrf=" + b.CSRF + "&email=" + strings.Repeat("a", 64<<10)
	for _, path := range paths {
		for _, sized := range []bool{true, false} {
			t.Run(path, func(t *testing.T) {
				var body io.Reader = strings.NewReader(big)
				if !sized {
					// An unknown length: sent chunked.
					body = io.MultiReader(strings.NewReader(big))
				}
				req, _ := http.NewRequest(http.MethodPost, env.URL+path, body)
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				p := b.Do(req)
				if p.Status() != http.StatusRequestEntityTooLarge {
					t.Fatalf("status %d, want 413", p.Status())
				}
				if !strings.Contains(p.Body, "more than shopcard accepts") {
					t.Errorf("the page does not say what happened: %s", p.Body)
				}
			})
		}
	}
	// A form of the right size still works.
	if p := b.Post("/admin/stores/"+itoa(env.Stores[fakeshopify.AcmeDomain].ID)+"/test", nil); p.Status() != http.StatusSeeOther {
		t.Errorf("a small form: %d", p.Status())
	}
	// Nor does a large sign-in reach the password check.
	fresh := env.Browser(t)
	fresh.Get("/admin/signin")
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/admin/signin", bytes.NewReader([]byte("csrf="+fresh.CSRF+"&email=a&password="+strings.Repeat("p", 16<<10))))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if p := fresh.Do(req); p.Status() != http.StatusRequestEntityTooLarge {
		t.Errorf("a 16 KiB sign-in: %d, want 413", p.Status())
	}
}
