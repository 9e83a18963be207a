package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/handlers/respond"
	"shopcard/handlers/route"
	"shopcard/views"
)

// DemoInbox is the inbox simulator that `shopcard demo` serves: a list of
// contacts, and the sidebar for the one clicked, with a token minted here
// on the server as a real inbox integration would, with the workspace's
// current secret.
type DemoInbox struct {
	Workspace  string
	Workspaces Workspaces
	Contacts   []views.DemoContact
	// Helpdesks are the helpdesk simulators' pages by kind: each is the
	// fake helpdesk's own page, on its own origin, framing shopcard's app.
	Helpdesks map[string]string
}

// helpdesk serves GET /demo/:helpdesk, which sends the browser to that
// fake helpdesk's conversation page.
func (d *DemoInbox) helpdesk(c echo.Context) error {
	to, ok := d.Helpdesks[c.Param("helpdesk")]
	if !ok {
		return echo.ErrNotFound
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// demoTokenTTL is how long the demo's tokens last, as an inbox's would.
const demoTokenTTL = 15 * time.Minute

// page serves GET /demo?contact=N&theme=….
func (d *DemoInbox) page(assets views.Assets, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		// Each request fills in its own copy: the list is shared.
		page := views.DemoPage{Assets: assets, Theme: themeOf(c), Contacts: slices.Clone(d.Contacts), Selected: -1}
		for _, k := range []struct{ kind, label string }{{"chatwoot", "Chatwoot"}, {"helpscout", "Help Scout"}, {"front", "Front"}, {"zendesk", "Zendesk"}} {
			if _, ok := d.Helpdesks[k.kind]; ok {
				page.Helpdesks = append(page.Helpdesks, views.NavLink{Label: k.label, URL: c.Echo().Reverse(route.DemoHelpdesk, k.kind), TestID: "demo-" + k.kind})
			}
		}
		for i := range page.Contacts {
			q := url.Values{"contact": {strconv.Itoa(i)}}
			if page.Theme != views.ThemeSystem {
				q.Set("theme", string(page.Theme))
			}
			page.Contacts[i].URL = c.Echo().Reverse(route.Demo) + "?" + q.Encode()
		}
		if raw := c.QueryParam("contact"); raw != "" {
			i, err := strconv.Atoi(raw)
			if err != nil || i < 0 || i >= len(d.Contacts) {
				return domain.Errorf(domain.KindNotFound, "There is no such demo contact.")
			}
			ws, err := d.Workspaces.WorkspaceByName(c.Request().Context(), d.Workspace)
			if err != nil {
				return err
			}
			contact := d.Contacts[i]
			token, err := embedtoken.Sign(ws.EmbedSecret, embedtoken.Claims{Workspace: ws.Name, Email: contact.Email, Emails: contact.OtherEmails, Name: contact.Name}, now(), demoTokenTTL)
			if err != nil {
				return err
			}
			q := url.Values{"token": {token}}
			if page.Theme != views.ThemeSystem {
				q.Set("theme", string(page.Theme))
			}
			page.Selected = i
			page.SidebarURL = c.Echo().Reverse(route.Sidebar) + "?" + q.Encode()
		}
		c.Response().Header().Set("Content-Security-Policy", contentSecurityPolicy("'none'", "'self'"))
		c.Response().Header().Set("Cache-Control", "no-store")
		return respond.HTML(c, http.StatusOK, views.DemoPageView(page))
	}
}
