package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/auth"
	"shopcard/domain"
	"shopcard/views"
)

// signInFailed is said for a wrong password and for an unknown email
// alike, so the form does not reveal who has an account.
const signInFailed = "That email and password don't match an admin account."

// signInPage serves GET /admin/signin. An admin who is still signed in
// goes straight to the console.
func signInPage(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok, err := sessionFor(d, c, readCookie(d, c, sessionCookie)); err != nil {
			return err
		} else if ok {
			return c.Redirect(http.StatusSeeOther, c.Echo().Reverse(RouteAdminStores))
		}
		page := views.SignInPage{}
		switch {
		case c.QueryParam("signed_out") != "":
			page.Info = "You're signed out."
		case c.QueryParam("ended") != "":
			page.Info = "Your session ended. Sign in again to continue."
		}
		return renderSignIn(d, c, http.StatusOK, page)
	}
}

// renderSignIn renders the form with a CSRF token bound to a cookie of its
// own, since there is no session yet: a forged sign-in (logging a victim
// into the attacker's account) fails without it.
func renderSignIn(d Deps, c echo.Context, status int, page views.SignInPage) error {
	secret := readCookie(d, c, signInCookie)
	if secret == "" {
		secret = auth.NewToken()
		setCookie(d, c, signInCookie, secret, time.Hour)
	}
	page.Assets = assets(d)
	page.Action = c.Echo().Reverse(RouteAdminSignInSubmit)
	page.CSRF = auth.CSRFToken(secret)
	return render(c, status, views.SignInPageView(page))
}

// signIn serves POST /admin/signin.
func signIn(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !auth.CheckCSRF(readCookie(d, c, signInCookie), c.FormValue(csrfField)) {
			return domain.Errorf(domain.KindForbidden, csrfMessage)
		}
		ctx := c.Request().Context()
		typed := strings.TrimSpace(c.FormValue("email"))
		email := strings.ToLower(typed)
		password := c.FormValue("password")
		now := d.Now()
		ip := c.RealIP()
		page := views.SignInPage{Email: typed}

		accountKey, ipKey := "account:"+email, "ip:"+ip
		blockedAccount, waitAccount := d.Admin.AccountLimiter.Blocked(accountKey, now)
		blockedIP, waitIP := d.Admin.IPLimiter.Blocked(ipKey, now)
		if blockedAccount || blockedIP {
			page.Error = fmt.Sprintf("Too many failed sign-ins. Wait %s, then try again.", minutes(max(waitAccount, waitIP)))
			return renderSignIn(d, c, http.StatusTooManyRequests, page)
		}

		admin, err := d.Admin.Accounts.AdminByEmail(ctx, email)
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
			d.Admin.AccountLimiter.Fail(accountKey, now)
			d.Admin.IPLimiter.Fail(ipKey, now)
			d.Logger.Info("sign-in failed", slog.String("ip", ip))
			page.Error = signInFailed
			return renderSignIn(d, c, http.StatusUnauthorized, page)
		}
		d.Admin.AccountLimiter.Reset(accountKey)

		// A fresh token on every sign-in: a session ID planted before
		// sign-in is worthless after it.
		token := auth.NewToken()
		if _, err := d.Admin.Accounts.CreateSession(ctx, admin.ID, auth.HashToken(token)); err != nil {
			return err
		}
		if err := d.Admin.Accounts.DeleteExpiredSessions(ctx, now.Add(-SessionIdle), now.Add(-SessionMax)); err != nil {
			d.Logger.Warn("delete expired sessions", slog.String("error", err.Error()))
		}
		setCookie(d, c, sessionCookie, token, SessionMax)
		setCookie(d, c, signInCookie, "", 0)
		d.Logger.Info("signed in", slog.Int64("admin", admin.ID), slog.Int64("workspace", admin.WorkspaceID))
		return c.Redirect(http.StatusSeeOther, c.Echo().Reverse(RouteAdminStores))
	}
}

// signOut serves POST /admin/signout: the session ends on the server, so
// the cookie is worthless even if a copy survives.
func signOut(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := d.Admin.Accounts.DeleteSession(c.Request().Context(), current(c).session.ID); err != nil {
			return err
		}
		setCookie(d, c, sessionCookie, "", 0)
		return c.Redirect(http.StatusSeeOther, c.Echo().Reverse(RouteAdminSignIn)+"?signed_out=1")
	}
}

// minutes says a wait in whole minutes, rounding up.
func minutes(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if m <= 1 {
		return "a minute"
	}
	return fmt.Sprintf("%d minutes", m)
}

// chrome builds what every admin page shares.
func chrome(d Deps, c echo.Context, title, currentRoute string) (views.AdminChrome, error) {
	a := current(c)
	ch := views.AdminChrome{
		Assets:     assets(d),
		Title:      title,
		Workspace:  a.workspace.Name,
		AdminEmail: a.session.Admin.Email,
		CSRF:       a.csrf,
		SignOutURL: c.Echo().Reverse(RouteAdminSignOut),
	}
	for _, l := range []struct{ label, route, testid string }{
		{"Stores", RouteAdminStores, "nav-stores"},
		{"Embed", RouteAdminEmbed, "nav-embed"},
		{"Troubleshoot", RouteAdminTroubleshoot, "nav-troubleshoot"},
	} {
		ch.Nav = append(ch.Nav, views.NavLink{Label: l.label, URL: c.Echo().Reverse(l.route), Current: l.route == currentRoute, TestID: l.testid})
	}
	n, err := d.Admin.Accounts.TakeNotice(c.Request().Context(), a.session.ID)
	if err != nil {
		return ch, err
	}
	ch.Notice = views.Notice{Message: n.Message, Error: n.Error}
	return ch, nil
}
