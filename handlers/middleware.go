package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"shopcard/embedtoken"
	"shopcard/handlers/sectioncache"
)

// requestLog logs one line per request. It logs the route pattern, never
// the URL: the sidebar's URL carries the embed token and the contact's email.
func requestLog(logger *slog.Logger, m Metrics) echo.MiddlewareFunc {
	names := &routeNames{}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			status := c.Response().Status
			route := c.Path()
			if route == "" {
				route = "unmatched"
			}
			m.HTTPRequest(names.of(c), status)
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			ctx := c.Request().Context()
			if !strings.HasPrefix(route, "/static/") && route != "/healthz" && route != "/metrics" && logger.Enabled(ctx, level) {
				// Straight to the handler: Logger.LogAttrs would also walk
				// the stack for a source line no handler of ours prints.
				now := time.Now()
				r := slog.NewRecord(now, level, "request", 0)
				r.AddAttrs(
					slog.String("method", c.Request().Method),
					slog.String("route", route),
					slog.Int("status", status),
					slog.Duration("elapsed", now.Sub(start)),
				)
				_ = logger.Handler().Handle(ctx, r)
			}
			return nil
		}
	}
}

// routeNames finds the name of the matched route, for metrics labels. The
// table is built on the first request, when every route is registered:
// scanning Echo's Routes() on each request copied and searched all ~35 of
// them.
type routeNames struct {
	once    sync.Once
	byRoute map[string]string // method + " " + path → name
}

func (n *routeNames) of(c echo.Context) string {
	n.once.Do(func() {
		n.byRoute = map[string]string{}
		for _, r := range c.Echo().Routes() {
			key := r.Method + " " + r.Path
			if _, ok := n.byRoute[key]; !ok && r.Name != "" {
				n.byRoute[key] = r.Name
			}
		}
	})
	if name, ok := n.byRoute[c.Request().Method+" "+c.Path()]; ok {
		return name
	}
	return "unmatched"
}

// recoverPanics turns a panic into a 500 and logs the stack, not the
// request.
func recoverPanics(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if r := recover(); r != nil {
					if r == http.ErrAbortHandler {
						panic(r)
					}
					logger.Error("panic", slog.String("route", c.Path()), slog.Any("panic", r), slog.String("stack", string(debug.Stack())))
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			return next(c)
		}
	}
}

// baseHeaders are sent with every response. Pages are not embeddable unless
// a route says otherwise (frameableBy).
func baseHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		setHeader(h, headerNoSniff, noSniff)
		setHeader(h, headerReferrer, noReferrer)
		setHeader(h, headerCSP, unframeablePolicy)
		setHeader(h, headerCOOP, sameOrigin)
		return next(c)
	}
}

// frameableBy lets the embedding inbox frame a route's pages: the origins
// the token's workspace allows, or the server's default list when the
// workspace has none, plus shopcard itself (the admin console's preview).
// The workspace is read from the token before it is verified, because a
// rejection page must show inside the inbox's frame too; a forged token
// gains nothing, since the list only says who may frame the page. The
// sidebar carries a token in its URL, so it is never cached or shared. A
// request whose token (or query) is longer than any real one is refused
// here, before anything parses it.
func frameableBy(tokens TokenVerifier, workspaces Workspaces, defaults []string) echo.MiddlewareFunc {
	policies := newFramePolicies()
	byDefault := policies.of(defaults)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			policy := byDefault
			token, ok := sidebarToken(c)
			if name := tokens.UnverifiedWorkspace(token); ok && name != "" {
				if ws, err := workspaces.WorkspaceByName(c.Request().Context(), name); err == nil && len(ws.FrameAncestors) > 0 {
					policy = policies.of(ws.FrameAncestors)
				}
			}
			frameHeaders(c.Response().Header(), policy)
			if !ok {
				// Refused before the handler parses the query or verifies
				// the token, with the page a too-long token gets.
				return embedtoken.Rejection(embedtoken.ErrTooLong)
			}
			return next(c)
		}
	}
}

// readScope makes the request one read scope (Server.ReadScope), so that
// its several reads of the workspace and the store check the database for
// changes once.
func readScope(scope func(context.Context) context.Context) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if scope == nil {
			return next
		}
		return func(c echo.Context) error {
			r := c.Request()
			c.SetRequest(r.WithContext(scope(r.Context())))
			return next(c)
		}
	}
}

// ipExtractor finds the client's address for sign-in throttling: the
// connecting address, or, behind trusted proxies, the nearest untrusted
// address in X-Forwarded-For. A client cannot pick its own address by
// sending the header.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// compress gzips responses for clients that accept it, by the same rules
// as kept sections. Store sections compress themselves (sidebar.go), so
// that a rendered section's compressed bytes can be kept and sent again.
func compress() echo.MiddlewareFunc {
	return middleware.GzipWithConfig(middleware.GzipConfig{
		Level:     sectioncache.GzipLevel,
		MinLength: sectioncache.GzipMinLength,
		Skipper: func(c echo.Context) bool {
			return strings.HasPrefix(c.Path(), "/metrics") || c.Path() == sidebarStorePath
		},
	})
}
