package handlers

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/embedtoken"
)

// Body limits of the admin console's forms, each what its fields need with
// room to spare (percent-encoding triples a byte at most). A body is
// bounded before anything parses it, and so before the CSRF check and the
// checks of each field, since parsing a form reads all of it: net/http
// would otherwise read 10 MB of an urlencoded body.
const (
	// A CSRF token and a button: sign-out, reveal, test, disconnect.
	smallFormBytes = 1 << 10
	// Sign-in: an email (254), a password (256 characters of up to 4
	// bytes each) and the CSRF token, percent-encoded: under 4 KiB.
	signInFormBytes = 8 << 10
	// A domain and an access token or signing secret, a troubleshooting
	// email, an OAuth start.
	credentialFormBytes = 8 << 10
	// Embed settings: up to 20 frame-ancestor origins and a TTL.
	settingsFormBytes = 32 << 10
)

// maxSidebarQueryBytes bounds the sidebar's query string: a token and a
// theme. Longer is refused before the query is parsed.
const maxSidebarQueryBytes = embedtoken.MaxTokenLength + 1<<10

// limitForm refuses a request body over maxBytes with 413, then parses the
// form from the bounded body, so that handlers (and the CSRF check) only
// ever see a form that fit.
func limitForm(maxBytes int64) echo.MiddlewareFunc {
	tooLarge := domain.Errorf(domain.KindTooLarge, "This form sent more than shopcard accepts from it (%s). Go back and shorten what you entered.", kib(maxBytes))
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.ContentLength > maxBytes {
				return tooLarge
			}
			r.Body = http.MaxBytesReader(c.Response(), r.Body, maxBytes)
			if err := r.ParseForm(); err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					return tooLarge
				}
				return domain.Errorf(domain.KindInvalid, "This form couldn't be read. Go back and try again.")
			}
			return next(c)
		}
	}
}

func kib(n int64) string { return fmt.Sprintf("%d KiB", n>>10) }

// sidebarToken reads the embed token a sidebar request carries, from the
// X-Shopcard-Token header (fragments) or else the query (the page), and
// reports whether the request is within bounds: a query or a header longer
// than any real token is never parsed, split or decoded.
func sidebarToken(c echo.Context) (token string, ok bool) {
	r := c.Request()
	h := r.Header.Get(TokenHeader)
	if len(h) > embedtoken.MaxTokenLength || len(r.URL.RawQuery) > maxSidebarQueryBytes {
		return "", false
	}
	if h != "" {
		return h, true
	}
	return c.QueryParam("token"), true
}
