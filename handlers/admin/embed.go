package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/config"
	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/handlers/respond"
	"shopcard/handlers/route"
	"shopcard/present"
	"shopcard/views"
)

// graceChoices are the rotation grace periods an admin can pick.
var graceChoices = []struct {
	value string
	label string
	grace time.Duration
}{
	{"0", "no time: stop it now", 0},
	{"1h", "1 hour", time.Hour},
	{"24h", "24 hours", 24 * time.Hour},
	{"168h", "7 days", 7 * 24 * time.Hour},
}

// defaultGrace is preselected: long enough to deploy the new secret.
const defaultGrace = "24h"

// Cache TTL bounds for a workspace: under 5 s the cache barely helps, and
// over an hour reps would see stale orders.
const (
	MinCacheTTL = 5 * time.Second
	MaxCacheTTL = time.Hour
)

// previewTTL is how long a preview's token lasts.
const previewTTL = 10 * time.Minute

// Embed is the embed page: the secret and its rotation, the workspace's
// settings, the integration snippets, and a preview of the sidebar.
type Embed struct {
	Pages      *Pages
	Workspaces WorkspaceSettings
	// DefaultFrameAncestors and DefaultCacheTTL are the server's settings,
	// which a workspace's own replace.
	DefaultFrameAncestors []string
	DefaultCacheTTL       time.Duration
	// PublicURL is where inboxes reach shopcard, for the snippets; when
	// empty, the address this admin used.
	PublicURL string
	Now       func() time.Time
}

// Page serves GET /admin/embed; the secret stays hidden.
func (e *Embed) Page(c echo.Context) error {
	page, err := e.page(c, current(c).workspace)
	if err != nil {
		return err
	}
	return respond.HTML(c, http.StatusOK, views.EmbedPageView(page))
}

func (e *Embed) page(c echo.Context, ws domain.Workspace) (views.EmbedPage, error) {
	ch, err := e.Pages.chrome(c, "Embed", route.AdminEmbed)
	if err != nil {
		return views.EmbedPage{}, err
	}
	now := e.Now()
	page := views.EmbedPage{
		Chrome:                ch,
		Workspace:             ws.Name,
		RevealURL:             c.Echo().Reverse(route.AdminEmbedReveal) + "#embed-secret",
		HideURL:               c.Echo().Reverse(route.AdminEmbed),
		RotateAction:          c.Echo().Reverse(route.AdminEmbedRotate),
		SecretVersion:         secretVersion(ws),
		SettingsAction:        c.Echo().Reverse(route.AdminEmbedSettings),
		PreviewAction:         c.Echo().Reverse(route.AdminEmbedPreview),
		FrameAncestors:        strings.Join(ws.FrameAncestors, " "),
		DefaultFrameAncestors: strings.Join(e.DefaultFrameAncestors, " "),
		DefaultCacheTTL:       strconv.Itoa(int(e.DefaultCacheTTL / time.Second)),
		Snippets:              snippets(ws.Name, e.sidebarBaseURL(c)),
	}
	if ws.CacheTTL > 0 {
		page.CacheTTL = strconv.Itoa(int(ws.CacheTTL / time.Second))
	}
	if !ws.SecretRotatedAt.IsZero() {
		page.SecretAge = "This secret was made " + present.When(ws.SecretRotatedAt, now).Relative + "."
	}
	if !ws.PreviousEmbedSecret.IsZero() && now.Before(ws.PreviousSecretExpiresAt) {
		page.PreviousActive = fmt.Sprintf("The previous secret keeps verifying tokens for %s more (until %s), so inboxes can switch over.",
			present.Duration(ws.PreviousSecretExpiresAt.Sub(now)), present.When(ws.PreviousSecretExpiresAt, now).Absolute)
	}
	for _, g := range graceChoices {
		page.GraceOptions = append(page.GraceOptions, views.Option{Value: g.value, Label: g.label, Selected: g.value == defaultGrace})
	}
	return page, nil
}

// sidebarBaseURL is where inboxes reach shopcard: the public URL when the
// operator set one, else the address this admin used.
func (e *Embed) sidebarBaseURL(c echo.Context) string {
	if e.PublicURL != "" {
		return e.PublicURL
	}
	return c.Scheme() + "://" + c.Request().Host
}

// Secret serves GET /admin/embed/secret: the embed page with the secret
// shown, reached by an explicit click (Reveal) and after a rotation. It
// changes nothing, so reloading it is harmless; admin pages are never
// cached or framed.
func (e *Embed) Secret(c echo.Context) error {
	ws := current(c).workspace
	page, err := e.page(c, ws)
	if err != nil {
		return err
	}
	page.Chrome.Title = "Embed secret"
	page.Secret = ws.EmbedSecret.Reveal()
	return respond.HTML(c, http.StatusOK, views.EmbedPageView(page))
}

// Rotate serves POST /admin/embed/secret/rotate. With a grace period, or
// once confirmed on its own page, it makes a new secret and redirects to
// the secret's page (POST, redirect, GET), so reloading the result does
// not rotate again. A rotation without a grace period stops every inbox
// still signing with the old secret at once, so unconfirmed it redirects
// to the page that asks first.
func (e *Embed) Rotate(c echo.Context) error {
	choice := c.FormValue("grace")
	grace, ok := time.Duration(0), false
	for _, g := range graceChoices {
		if g.value == choice {
			grace, ok = g.grace, true
		}
	}
	if !ok {
		return domain.Errorf(domain.KindInvalid, "Pick how long the old secret keeps working from the list.")
	}
	seen := current(c).workspace
	replacing := c.FormValue("replacing")
	if grace == 0 && c.FormValue("confirm") != "1" {
		target := c.Echo().Reverse(route.AdminEmbedRotateConfirm)
		if replacing != "" {
			target += "?" + url.Values{"replacing": {replacing}}.Encode()
		}
		return c.Redirect(http.StatusSeeOther, target)
	}
	// Only the secret this request saw is replaced: when another admin's
	// rotation got there first, theirs is shown rather than replaced at
	// once by one more, so neither admin is shown a secret that no longer
	// verifies.
	ws, rotated := seen, false
	if replacing == "" || replacing == secretVersion(seen) {
		var err error
		if ws, rotated, err = e.Workspaces.RotateEmbedSecretIf(c.Request().Context(), seen.ID, seen.EmbedSecret, grace); err != nil {
			return err
		}
	}
	msg := "A new secret was made: put it in your inbox integration now."
	switch {
	case !rotated:
		msg = "Another admin made a new secret since this page was loaded, so shopcard kept theirs rather than replace it at once: this is it. Put it in your inbox integration now."
	case grace == 0:
		msg += " The old one no longer verifies tokens."
	default:
		msg += fmt.Sprintf(" The old one keeps verifying tokens until %s.", present.When(ws.PreviousSecretExpiresAt, e.Now()).Absolute)
	}
	return e.Pages.notice(c, route.AdminEmbedReveal, domain.Notice{Message: msg})
}

// ConfirmRotate serves GET /admin/embed/secret/rotate: asks, on a page of
// its own, before a rotation that stops the old secret at once.
func (e *Embed) ConfirmRotate(c echo.Context) error {
	ch, err := e.Pages.chrome(c, "Make a new embed secret", route.AdminEmbed)
	if err != nil {
		return err
	}
	replacing := c.QueryParam("replacing")
	if replacing == "" {
		replacing = secretVersion(current(c).workspace)
	}
	return respond.HTML(c, http.StatusOK, views.RotateConfirmPageView(views.RotateConfirmPage{
		Chrome: ch, Workspace: current(c).workspace.Name, SecretVersion: replacing,
		Action: c.Echo().Reverse(route.AdminEmbedRotate), CancelURL: c.Echo().Reverse(route.AdminEmbed) + "#embed-secret",
	}))
}

// secretVersion names a workspace's current secret without revealing
// anything of it: when it was made.
func secretVersion(ws domain.Workspace) string {
	return ws.SecretRotatedAt.UTC().Format(time.RFC3339Nano)
}

// SaveSettings serves POST /admin/embed/settings.
func (e *Embed) SaveSettings(c echo.Context) error {
	ws := current(c).workspace
	rawAncestors := c.FormValue("frame_ancestors")
	rawTTL := strings.TrimSpace(c.FormValue("cache_ttl"))
	ancestors, err := config.ValidateFrameAncestors(rawAncestors)
	var problem string
	if err != nil {
		problem = "Inbox origins: " + err.Error() + "."
	}
	ttl, terr := parseCacheTTL(rawTTL)
	if terr != "" && problem == "" {
		problem = terr
	}
	if problem != "" {
		page, err := e.page(c, ws)
		if err != nil {
			return err
		}
		page.FrameAncestors, page.CacheTTL, page.SettingsError = rawAncestors, rawTTL, problem
		return respond.HTML(c, http.StatusBadRequest, views.EmbedPageView(page))
	}
	if err := e.Workspaces.UpdateWorkspaceSettings(c.Request().Context(), ws.ID, ancestors, ttl); err != nil {
		return err
	}
	return e.Pages.notice(c, route.AdminEmbed, domain.Notice{Message: "Settings saved. New cache times apply to answers fetched from now on."})
}

// parseCacheTTL reads a TTL in seconds; empty means the server's default.
func parseCacheTTL(raw string) (time.Duration, string) {
	if raw == "" {
		return 0, ""
	}
	n, err := strconv.Atoi(raw)
	ttl := time.Duration(n) * time.Second
	if err != nil || ttl < MinCacheTTL || ttl > MaxCacheTTL {
		return 0, fmt.Sprintf("Cache time: enter a number of seconds between %d and %d, or leave it empty.", int(MinCacheTTL/time.Second), int(MaxCacheTTL/time.Second))
	}
	return ttl, ""
}

// Preview serves GET /admin/embed/preview?email=…: the sidebar for
// that email in a frame, with a token minted here as an inbox would.
func (e *Embed) Preview(c echo.Context) error {
	ws := current(c).workspace
	raw := c.QueryParam("email")
	email, err := domain.NormalizeEmail(raw)
	if err != nil {
		page, perr := e.page(c, ws)
		if perr != nil {
			return perr
		}
		page.PreviewEmail, page.PreviewError = raw, "Enter the contact's email address, such as ada@example.com."
		return respond.HTML(c, http.StatusBadRequest, views.EmbedPageView(page))
	}
	token, err := embedtoken.Sign(ws.EmbedSecret, embedtoken.Claims{Workspace: ws.Name, Email: email}, e.Now(), previewTTL)
	if err != nil {
		return err
	}
	ch, err := e.Pages.chrome(c, "Preview", route.AdminEmbed)
	if err != nil {
		return err
	}
	// This page alone may frame shopcard's own pages: the sidebar.
	c.Response().Header().Set("Content-Security-Policy", strings.Replace(c.Response().Header().Get("Content-Security-Policy"), "frame-src 'none'", "frame-src 'self'", 1))
	return respond.HTML(c, http.StatusOK, views.PreviewPageView(views.PreviewPage{
		Chrome: ch, Email: email, BackURL: c.Echo().Reverse(route.AdminEmbed),
		SidebarURL: c.Echo().Reverse(route.Sidebar) + "?" + url.Values{"token": {token}}.Encode(),
	}))
}
