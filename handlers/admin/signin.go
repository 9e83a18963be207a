package admin

import (
	"fmt"
	"log/slog"
	"net/http"
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

// Sign-in throttling: failures allowed per account and per client address
// within the window.
const (
	SignInFailuresPerAccount = 5
	SignInFailuresPerIP      = 20
	SignInWindow             = 15 * time.Minute
)

// Throttle counts failed sign-ins per account and per client address.
type Throttle struct {
	Account, IP *auth.Limiter
}

// NewThrottle returns a Throttle with shopcard's limits.
func NewThrottle() *Throttle {
	return &Throttle{Account: auth.NewLimiter(SignInFailuresPerAccount, SignInWindow), IP: auth.NewLimiter(SignInFailuresPerIP, SignInWindow)}
}

// SignIn is signing in and out.
type SignIn struct {
	Sessions *Sessions
	Accounts Accounts
	Throttle *Throttle
	Assets   views.Assets
	Logger   *slog.Logger
	Now      func() time.Time
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

// Submit serves POST /admin/signin.
func (s *SignIn) Submit(c echo.Context) error {
	if !auth.CheckCSRF(s.Sessions.readCookie(c, signInCookie), c.FormValue(csrfField)) {
		return domain.Errorf(domain.KindForbidden, csrfMessage)
	}
	ctx := c.Request().Context()
	typed := strings.TrimSpace(c.FormValue("email"))
	email := domain.ASCIILower(typed)
	password := c.FormValue("password")
	now := s.Now()
	ip := c.RealIP()
	page := views.SignInPage{Email: typed}

	accountKey, ipKey := "account:"+email, "ip:"+ip
	blockedAccount, waitAccount := s.Throttle.Account.Blocked(accountKey, now)
	blockedIP, waitIP := s.Throttle.IP.Blocked(ipKey, now)
	if blockedAccount || blockedIP {
		page.Error = fmt.Sprintf("Too many failed sign-ins. Wait %s, then try again.", minutes(max(waitAccount, waitIP)))
		return s.render(c, http.StatusTooManyRequests, page)
	}

	admin, err := s.Accounts.AdminByEmail(ctx, email)
	var ok bool
	switch {
	case domain.KindOf(err) == domain.KindNotFound:
		ok = auth.CheckNoAccount(password)
	case err != nil:
		return err
	default:
		ok = auth.CheckPassword(admin.PasswordHash, password)
	}
	if !ok {
		s.Throttle.Account.Fail(accountKey, now)
		s.Throttle.IP.Fail(ipKey, now)
		s.Logger.Info("sign-in failed", slog.String("ip", ip))
		page.Error = signInFailed
		return s.render(c, http.StatusUnauthorized, page)
	}
	s.Throttle.Account.Reset(accountKey)

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
