package admin

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/auth"
	"shopcard/domain"
	"shopcard/handlers/respond"
	"shopcard/handlers/route"
	"shopcard/views"
)

// signInFailed is said for a wrong password and for an unknown email
// alike, so the form does not reveal who has an account.
const signInFailed = "That email and password don't match an admin account."

// Sign-in throttling (see the README's Security model). Failures are
// counted per account from one client address, per address across
// accounts, and per account across addresses; the last is slower and
// spares addresses the account signed in from within SignInKnownFor, so
// someone guessing from elsewhere cannot lock the admin out of their usual
// address, and guessing from one address never refuses the right password
// from another.
const (
	SignInFailuresPerAccountAddress = 5
	SignInFailuresPerAddress        = 20
	SignInWindow                    = 15 * time.Minute
	SignInFailuresPerAccount        = 30
	SignInAccountWindow             = time.Hour
	SignInKnownFor                  = 30 * 24 * time.Hour
)

// Password hashing capacity, process-wide: argon2id takes 19 MiB per
// check, so at most SignInHashes run at once (38 MiB), SignInHashQueue
// more wait up to SignInHashWait for a turn, and the rest get 429 at once.
const (
	SignInHashes    = 2
	SignInHashQueue = 8
	SignInHashWait  = time.Second
)

// NewThrottle returns the sign-in throttle with shopcard's limits.
func NewThrottle() *auth.Throttle {
	return auth.NewThrottle(auth.ThrottleRules{
		AccountAddress: auth.Rule{Max: SignInFailuresPerAccountAddress, Window: SignInWindow},
		Address:        auth.Rule{Max: SignInFailuresPerAddress, Window: SignInWindow},
		Account:        auth.Rule{Max: SignInFailuresPerAccount, Window: SignInAccountWindow},
		KnownFor:       SignInKnownFor,
	})
}

// NewHashGate returns the process's cap on concurrent password checks.
func NewHashGate() *auth.HashGate {
	return auth.NewHashGate(SignInHashes, SignInHashQueue, SignInHashWait)
}

// SignIn is signing in and out.
type SignIn struct {
	Sessions *Sessions
	Accounts Accounts
	Throttle *auth.Throttle
	// Hashes caps the password checks running at once, process-wide.
	Hashes *auth.HashGate
	Assets views.Assets
	Logger *slog.Logger
	Now    func() time.Time
}

// Page serves GET /admin/signin. An admin who is still signed in goes
// straight to the console.
func (s *SignIn) Page(c echo.Context) error {
	if _, ok, err := s.Sessions.session(c, s.Sessions.readCookie(c, sessionCookie)); err != nil {
		return err
	} else if ok {
		return c.Redirect(http.StatusSeeOther, c.Echo().Reverse(route.AdminStores))
	}
	page := views.SignInPage{}
	switch {
	case c.QueryParam("signed_out") != "":
		page.Info = "You're signed out."
	case c.QueryParam("ended") != "":
		page.Info = "Your session ended. Sign in again to continue."
	}
	return s.render(c, http.StatusOK, page)
}

// render renders the form with a CSRF token bound to a cookie of its own,
// since there is no session yet: a forged sign-in (logging a victim into
// the attacker's account) fails without it.
func (s *SignIn) render(c echo.Context, status int, page views.SignInPage) error {
	secret := s.Sessions.readCookie(c, signInCookie)
	if secret == "" {
		secret = auth.NewToken()
		s.Sessions.setCookie(c, signInCookie, secret, time.Hour)
	}
	page.Assets = s.Assets
	page.Action = c.Echo().Reverse(route.AdminSignInSubmit)
	page.CSRF = auth.CSRFToken(secret)
	return respond.HTML(c, status, views.SignInPageView(page))
}

// Submit serves POST /admin/signin. Its body was bounded before it was
// parsed (routes.go). The attempt is reserved with the throttle before the
// password is hashed, and the hash waits for the process-wide gate, so
// neither a burst for one account nor one across many can run more hashes
// than the limits allow or take more memory than the gate's.
func (s *SignIn) Submit(c echo.Context) error {
	if !auth.CheckCSRF(s.Sessions.readCookie(c, signInCookie), c.FormValue(csrfField)) {
		return domain.Errorf(domain.KindForbidden, csrfMessage)
	}
	ctx := c.Request().Context()
	typed := strings.TrimSpace(c.FormValue("email"))
	// ASCII lowercasing only: admins' addresses are ASCII (NormalizeEmail),
	// and Unicode's would make a lookalike another account's key.
	email := domain.ASCIILower(typed)
	password := c.FormValue("password")
	now := s.Now()
	ip := c.RealIP()
	page := views.SignInPage{Email: typed}

	attempt, wait, ok := s.Throttle.Reserve(email, ip, now)
	if !ok {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		page.Error = fmt.Sprintf("Too many failed sign-ins. Wait %s, then try again.", minutes(wait))
		return s.render(c, http.StatusTooManyRequests, page)
	}
	defer attempt.Abandon() // undone unless a verdict below keeps or clears it

	admin, err := s.Accounts.AdminByEmail(ctx, email)
	if err != nil && domain.KindOf(err) != domain.KindNotFound {
		return err
	}
	var matched bool
	if err := s.Hashes.Do(ctx, func() {
		if err != nil {
			matched = auth.CheckNoAccount(password)
		} else {
			matched = auth.CheckPassword(admin.PasswordHash, password)
		}
	}); err != nil {
		c.Response().Header().Set("Retry-After", "2")
		page.Error = "shopcard is checking a lot of sign-ins right now. Try again in a few seconds."
		return s.render(c, http.StatusTooManyRequests, page)
	}
	if !matched {
		attempt.Failed()
		s.Logger.Info("sign-in failed", slog.String("ip", ip))
		page.Error = signInFailed
		return s.render(c, http.StatusUnauthorized, page)
	}
	attempt.Succeeded(now)

	// A fresh token on every sign-in: a session ID planted before sign-in
	// is worthless after it.
	token := auth.NewToken()
	if _, err := s.Accounts.CreateSession(ctx, admin.ID, auth.HashToken(token)); err != nil {
		return err
	}
	if err := s.Accounts.DeleteExpiredSessions(ctx, now.Add(-SessionIdle), now.Add(-SessionMax)); err != nil {
		s.Logger.Warn("delete expired sessions", slog.String("error", err.Error()))
	}
	s.Sessions.setCookie(c, sessionCookie, token, SessionMax)
	s.Sessions.setCookie(c, signInCookie, "", 0)
	s.Logger.Info("signed in", slog.Int64("admin", admin.ID), slog.Int64("workspace", admin.WorkspaceID))
	return c.Redirect(http.StatusSeeOther, c.Echo().Reverse(route.AdminStores))
}

// SignOut serves POST /admin/signout: the session ends on the server, so
// the cookie is worthless even if a copy survives.
func (s *SignIn) SignOut(c echo.Context) error {
	if err := s.Sessions.Sessions.DeleteSession(c.Request().Context(), current(c).session.ID); err != nil {
		return err
	}
	s.Sessions.setCookie(c, sessionCookie, "", 0)
	return c.Redirect(http.StatusSeeOther, c.Echo().Reverse(route.AdminSignIn)+"?signed_out=1")
}

// minutes says a wait in whole minutes, rounding up.
func minutes(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if m <= 1 {
		return "a minute"
	}
	return fmt.Sprintf("%d minutes", m)
}
