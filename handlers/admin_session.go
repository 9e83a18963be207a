package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/auth"
	"shopcard/domain"
)

// Cookie names. Over https they carry the __Host- prefix, which makes the
// browser refuse them unless Secure, host-only and Path=/: a sibling
// subdomain cannot plant one.
const (
	sessionCookie = "shopcard_session"
	signInCookie  = "shopcard_signin" // the sign-in form's CSRF secret, before there is a session
	hostPrefix    = "__Host-"
)

// csrfField is the form field every state-changing form carries.
const csrfField = "csrf"

// csrfMessage is what a refused form says.
const csrfMessage = "This form expired or didn't come from shopcard's own page, so nothing was changed. Go back, reload the page and try again."

// adminCtxKey holds the signed-in admin in the echo context.
const adminCtxKey = "shopcard.admin"

// signedIn is who is signed in, for the request.
type signedIn struct {
	session   domain.Session
	workspace domain.Workspace
	csrf      string
}

// current returns the signed-in admin; routes behind requireAdmin always
// have one.
func current(c echo.Context) *signedIn {
	s, _ := c.Get(adminCtxKey).(*signedIn)
	return s
}

// secureCookies reports whether cookies must be Secure: the request came
// over TLS, or the operator says shopcard is reached over https.
func secureCookies(d Deps, c echo.Context) bool {
	return c.Request().TLS != nil || strings.HasPrefix(d.Admin.PublicURL, "https://")
}

func cookieName(d Deps, c echo.Context, base string) string {
	if secureCookies(d, c) {
		return hostPrefix + base
	}
	return base
}

func readCookie(d Deps, c echo.Context, base string) string {
	ck, err := c.Cookie(cookieName(d, c, base))
	if err != nil {
		return ""
	}
	return ck.Value
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site. A
// zero maxAge deletes it.
func setCookie(d Deps, c echo.Context, base, value string, maxAge time.Duration) {
	ck := &http.Cookie{
		Name:     cookieName(d, c, base),
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		Secure:   secureCookies(d, c),
		SameSite: http.SameSiteLaxMode,
		MaxAge:   int(maxAge / time.Second),
	}
	if maxAge <= 0 {
		ck.MaxAge = -1
	}
	c.SetCookie(ck)
}

// sessionFor finds the live session behind a cookie token. An expired
// session is ended on the server as it is found.
func sessionFor(d Deps, c echo.Context, token string) (domain.Session, bool, error) {
	if token == "" {
		return domain.Session{}, false, nil
	}
	ctx := c.Request().Context()
	s, err := d.Admin.Accounts.SessionByTokenHash(ctx, auth.HashToken(token))
	if domain.KindOf(err) == domain.KindNotFound {
		return domain.Session{}, false, nil
	}
	if err != nil {
		return domain.Session{}, false, err
	}
	now := d.Now()
	if now.Sub(s.LastSeenAt) > SessionIdle || now.Sub(s.CreatedAt) > SessionMax {
		if err := d.Admin.Accounts.DeleteSession(ctx, s.ID); err != nil {
			return domain.Session{}, false, err
		}
		return domain.Session{}, false, nil
	}
	return s, true, nil
}

// requireAdmin lets signed-in admins through, sending everyone else to the
// sign-in page, and refuses a state-changing request whose CSRF token does
// not belong to the session (403, before any handler runs).
func requireAdmin(d Deps) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ctx := c.Request().Context()
			token := readCookie(d, c, sessionCookie)
			s, ok, err := sessionFor(d, c, token)
			if err != nil {
				return err
			}
			if !ok {
				if token != "" {
					setCookie(d, c, sessionCookie, "", 0)
				}
				if isStateChanging(c) {
					return domain.Errorf(domain.KindForbidden, "You're not signed in (or your session ended), so nothing was changed. Sign in and try again.")
				}
				target := c.Echo().Reverse(RouteAdminSignIn)
				if token != "" {
					target += "?" + url.Values{"ended": {"1"}}.Encode()
				}
				return c.Redirect(http.StatusSeeOther, target)
			}
			if isStateChanging(c) && !auth.CheckCSRF(token, c.FormValue(csrfField)) {
				return domain.Errorf(domain.KindForbidden, csrfMessage)
			}
			ws, err := d.Admin.Workspaces.WorkspaceByID(ctx, s.Admin.WorkspaceID)
			if err != nil {
				return err
			}
			if now := d.Now(); now.Sub(s.LastSeenAt) > touchEvery {
				if err := d.Admin.Accounts.TouchSession(ctx, s.ID, now); err != nil {
					return err
				}
			}
			c.Set(adminCtxKey, &signedIn{session: s, workspace: ws, csrf: auth.CSRFToken(token)})
			return next(c)
		}
	}
}

func isStateChanging(c echo.Context) bool {
	switch c.Request().Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// adminHeaders are sent with every admin page: never framed, never cached,
// and forms may lead only to shopcard itself or, for OAuth, to Shopify.
func adminHeaders(d Deps) echo.MiddlewareFunc {
	formAction := "'self'"
	if d.Admin.OAuth != nil {
		formAction += " " + d.Admin.OAuth.FormActionSource()
	}
	csp := "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"base-uri 'none'; form-action " + formAction + "; frame-src 'none'; frame-ancestors 'none'"
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Frame-Options", "DENY")
			h.Set("Cache-Control", "no-store")
			return next(c)
		}
	}
}

// notice keeps a message for the next page and redirects there (POST,
// then redirect, then GET).
func notice(d Deps, c echo.Context, route string, n domain.Notice, params ...any) error {
	if err := d.Admin.Accounts.SetNotice(c.Request().Context(), current(c).session.ID, n); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, c.Echo().Reverse(route, params...))
}
