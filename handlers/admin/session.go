package admin

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/auth"
	"shopcard/domain"
	"shopcard/handlers/route"
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

// current returns the signed-in admin; routes behind Sessions.Require
// always have one.
func current(c echo.Context) *signedIn {
	s, _ := c.Get(adminCtxKey).(*signedIn)
	return s
}

// SignedIn reports whether the request comes from a signed-in admin, for
// error pages that offer a way back into the console.
func SignedIn(c echo.Context) bool { return current(c) != nil }

// Sessions finds who is signed in from their cookie.
type Sessions struct {
	Sessions   SessionStore
	Workspaces WorkspaceFinder
	Now        func() time.Time
	// HTTPS says shopcard is reached over https (SHOPCARD_PUBLIC_URL), so
	// cookies are Secure even behind a proxy that ends TLS.
	HTTPS bool
}

// secureCookies reports whether cookies must be Secure: the request came
// over TLS, or the operator says shopcard is reached over https.
func (s *Sessions) secureCookies(c echo.Context) bool {
	return c.Request().TLS != nil || s.HTTPS
}

func (s *Sessions) cookieName(c echo.Context, base string) string {
	if s.secureCookies(c) {
		return hostPrefix + base
	}
	return base
}

func (s *Sessions) readCookie(c echo.Context, base string) string {
	ck, err := c.Cookie(s.cookieName(c, base))
	if err != nil {
		return ""
	}
	return ck.Value
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site. A
// zero maxAge deletes it.
func (s *Sessions) setCookie(c echo.Context, base, value string, maxAge time.Duration) {
	ck := &http.Cookie{
		Name:     s.cookieName(c, base),
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		Secure:   s.secureCookies(c),
		SameSite: http.SameSiteLaxMode,
		MaxAge:   int(maxAge / time.Second),
	}
	if maxAge <= 0 {
		ck.MaxAge = -1
	}
	c.SetCookie(ck)
}

// session finds the live session behind a cookie token. An expired
// session is ended on the server as it is found.
func (s *Sessions) session(c echo.Context, token string) (domain.Session, bool, error) {
	if token == "" {
		return domain.Session{}, false, nil
	}
	ctx := c.Request().Context()
	sess, err := s.Sessions.SessionByTokenHash(ctx, auth.HashToken(token))
	if domain.KindOf(err) == domain.KindNotFound {
		return domain.Session{}, false, nil
	}
	if err != nil {
		return domain.Session{}, false, err
	}
	now := s.Now()
	if now.Sub(sess.LastSeenAt) > SessionIdle || now.Sub(sess.CreatedAt) > SessionMax {
		if err := s.Sessions.DeleteSession(ctx, sess.ID); err != nil {
			return domain.Session{}, false, err
		}
		return domain.Session{}, false, nil
	}
	return sess, true, nil
}

// Require lets signed-in admins through, sending everyone else to the
// sign-in page, and refuses a state-changing request whose CSRF token does
// not belong to the session (403, before any handler runs).
func (s *Sessions) Require() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ctx := c.Request().Context()
			token := s.readCookie(c, sessionCookie)
			sess, ok, err := s.session(c, token)
			if err != nil {
				return err
			}
			if !ok {
				if token != "" {
					s.setCookie(c, sessionCookie, "", 0)
				}
				if isStateChanging(c) {
					return domain.Errorf(domain.KindForbidden, "You're not signed in (or your session ended), so nothing was changed. Sign in and try again.")
				}
				target := c.Echo().Reverse(route.AdminSignIn)
				if token != "" {
					target += "?" + url.Values{"ended": {"1"}}.Encode()
				}
				return c.Redirect(http.StatusSeeOther, target)
			}
			if isStateChanging(c) && !auth.CheckCSRF(token, c.FormValue(csrfField)) {
				return domain.Errorf(domain.KindForbidden, csrfMessage)
			}
			ws, err := s.Workspaces.WorkspaceByID(ctx, sess.Admin.WorkspaceID)
			if err != nil {
				return err
			}
			if now := s.Now(); now.Sub(sess.LastSeenAt) > touchEvery {
				if err := s.Sessions.TouchSession(ctx, sess.ID, now); err != nil {
					return err
				}
			}
			c.Set(adminCtxKey, &signedIn{session: sess, workspace: ws, csrf: auth.CSRFToken(token)})
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

// Headers are sent with every admin page: never framed, never cached, and
// forms may lead only to shopcard itself or to the given sources (Shopify,
// for OAuth).
func Headers(formActionSources ...string) echo.MiddlewareFunc {
	formAction := strings.Join(append([]string{"'self'"}, formActionSources...), " ")
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
