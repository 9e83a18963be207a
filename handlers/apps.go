package handlers

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/handlers/respond"
	"shopcard/handlers/route"
	"shopcard/inbox"
	"shopcard/inbox/front"
	"shopcard/inbox/helpscout"
	"shopcard/inbox/zendesk"
	"shopcard/views"
)

// InboxSessions verifies helpdesk requests and opens sidebars for them
// (inbox/session).
type InboxSessions interface {
	Open(ctx context.Context, kind inbox.Kind, id string) (inbox.Installation, domain.Workspace, error)
	Prove(ctx context.Context, inst inbox.Installation, check func() error) error
	Grant(ws domain.Workspace, inst inbox.Installation) string
	CheckGrant(ctx context.Context, ws domain.Workspace, inst inbox.Installation, grant string) error
	Sidebar(ctx context.Context, ws domain.Workspace, inst inbox.Installation, ref string) (string, embedtoken.Claims, error)
}

// InstallationFinder finds an installation by its public ID.
type InstallationFinder interface {
	InstallationByID(ctx context.Context, id string) (inbox.Installation, error)
}

// Apps serves the helpdesk apps under /apps: each checks its helpdesk's
// proof, learns the contact from the helpdesk's API, and answers with the
// existing sidebar for it (or the rejection page, inside the frame).
type Apps struct {
	Sessions InboxSessions
	Sidebar  *Sidebar
	// Assets are the stylesheet's; each page adds the shared script
	// (Scripts[""]) and its kind's.
	Assets  views.Assets
	Scripts map[inbox.Kind]string
}

// installParam names the installation in every app URL shopcard prints.
const installParam = "install"

// Chatwoot serves GET /apps/chatwoot?install=ID: the page whose script
// asks Chatwoot for the context. Chatwoot signs nothing, so the page needs
// only a known installation; every contact is checked with Chatwoot's API.
func (a *Apps) Chatwoot(c echo.Context) error {
	inst, ws, err := a.Sessions.Open(c.Request().Context(), inbox.Chatwoot, c.QueryParam(installParam))
	if err != nil {
		return err
	}
	return a.shell(c, inst, ws, inbox.Origin(inst.Settings.BaseURL))
}

// Front serves GET /apps/front?install=ID&auth_secret=…: Front's auth
// secret, then the page whose script reads Front's context.
func (a *Apps) Front(c echo.Context) error {
	ctx := c.Request().Context()
	inst, ws, err := a.Sessions.Open(ctx, inbox.Front, c.QueryParam(installParam))
	if err != nil {
		return err
	}
	if err := a.Sessions.Prove(ctx, inst, func() error { return front.VerifyAuthSecret(inst, c.QueryParam(front.AuthSecretParam)) }); err != nil {
		return err
	}
	return a.shell(c, inst, ws, "")
}

// Zendesk serves POST /apps/zendesk?install=ID, Zendesk's signed first
// request: the token's signature, issuer, audience and times, then the
// page whose script asks the ZAF client for the ticket.
func (a *Apps) Zendesk(c echo.Context) error {
	ctx := c.Request().Context()
	inst, ws, err := a.Sessions.Open(ctx, inbox.Zendesk, c.QueryParam(installParam))
	if err != nil {
		return err
	}
	if err := a.Sessions.Prove(ctx, inst, func() error {
		_, err := zendesk.VerifyToken(inst, c.FormValue(zendesk.TokenField), a.Sidebar.Now())
		return err
	}); err != nil {
		return err
	}
	return a.shell(c, inst, ws, inbox.Origin(inst.Settings.BaseURL))
}

// HelpScout serves GET /apps/helpscout?install=ID&…&X-HelpScout-Signature=…:
// Help Scout signs the customer's id itself, so the sidebar opens at once
// for the customer its API names.
func (a *Apps) HelpScout(c echo.Context) error {
	ctx := c.Request().Context()
	inst, ws, err := a.Sessions.Open(ctx, inbox.HelpScout, c.QueryParam(installParam))
	if err != nil {
		return err
	}
	var ref string
	if err := a.Sessions.Prove(ctx, inst, func() error {
		if inst.Settings.SigningSecret.IsZero() {
			return inbox.NotConfigured("Help Scout", "secret key")
		}
		params, err := helpscout.VerifyQuery(inst.Settings.SigningSecret.Reveal(), c.Request().URL.RawQuery, installParam)
		if err != nil {
			return err
		}
		ref, err = helpscout.CustomerRef(params)
		return err
	}); err != nil {
		return err
	}
	token, claims, err := a.Sessions.Sidebar(ctx, ws, inst, ref)
	if err != nil {
		return err
	}
	return a.Sidebar.render(c, token, claims, themeOf(c))
}

// SidebarFor serves POST /apps/:kind/sidebar, which an app page's script
// posts into its inner frame with the contact's reference from the
// helpdesk's context and the grant its proof earned: the contact comes
// from the helpdesk's API, never from the form.
func (a *Apps) SidebarFor(c echo.Context) error {
	ctx := c.Request().Context()
	kind, err := inbox.ParseKind(c.Param("kind"))
	if err != nil || kind == inbox.HelpScout {
		return echo.ErrNotFound
	}
	inst, ws, err := a.Sessions.Open(ctx, kind, c.FormValue(installParam))
	if err != nil {
		return err
	}
	if err := a.Sessions.CheckGrant(ctx, ws, inst, c.FormValue("grant")); err != nil {
		return err
	}
	token, claims, err := a.Sessions.Sidebar(ctx, ws, inst, strings.TrimSpace(c.FormValue("ref")))
	if err != nil {
		return err
	}
	return a.Sidebar.render(c, token, claims, parseTheme(c.FormValue("theme")))
}

// shell renders a kind's app page with a fresh grant.
func (a *Apps) shell(c echo.Context, inst inbox.Installation, ws domain.Workspace, origin string) error {
	// The page has no htmx: its two scripts go in the layout's two script
	// slots, which run in order, the shared one first.
	assets := views.Assets{CSS: a.Assets.CSS, HTMX: a.Scripts[""], JS: a.Scripts[inst.Kind]}
	// This page alone frames shopcard's own pages: the sidebar.
	h := c.Response().Header()
	h.Set("Content-Security-Policy", strings.Replace(h.Get("Content-Security-Policy"), "frame-src 'none'", "frame-src 'self'", 1))
	return respond.HTML(c, http.StatusOK, views.InboxAppPage(views.InboxApp{
		Assets:         assets,
		Kind:           string(inst.Kind),
		Helpdesk:       inst.Kind.Title(),
		HelpdeskOrigin: origin,
		SidebarAction:  c.Echo().Reverse(route.AppSidebar, string(inst.Kind)),
		Install:        inst.ID,
		Grant:          a.Sessions.Grant(ws, inst),
		Theme:          themeOf(c),
	}))
}

// frameableByInstallation lets a helpdesk frame its app's pages: the
// origins its kind needs and the admin added, plus shopcard itself (the
// sidebar opens in the app page's own frame). The installation is read
// before anything is verified, as frameableBy reads a token's workspace,
// because a refusal must show inside the helpdesk's frame too; the list
// only says who may frame the page. An unknown installation gets the
// server's default list.
func frameableByInstallation(installations InstallationFinder, defaults []string) echo.MiddlewareFunc {
	policies := newFramePolicies()
	byDefault := policies.of(defaults)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			policy := byDefault
			id := c.QueryParam(installParam)
			if id == "" && c.Request().Method == http.MethodPost {
				id = c.FormValue(installParam)
			}
			if inbox.ValidID(id) {
				if inst, err := installations.InstallationByID(c.Request().Context(), id); err == nil {
					policy = policies.of(inst.Ancestors())
				}
			}
			frameHeaders(c.Response().Header(), policy)
			return next(c)
		}
	}
}
