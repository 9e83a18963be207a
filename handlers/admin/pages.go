package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/handlers/route"
	"shopcard/views"
)

// Pages is what every console page shares: the layout's assets, and the
// one-time notices a POST leaves for the page it redirects to.
type Pages struct {
	Assets  views.Assets
	Notices Notices
}

// chrome builds what every admin page shares, taking the pending notice.
func (p *Pages) chrome(c echo.Context, title, currentRoute string) (views.AdminChrome, error) {
	a := current(c)
	ch := views.AdminChrome{
		Assets:     p.Assets,
		Title:      title,
		Workspace:  a.workspace.Name,
		AdminEmail: a.session.Admin.Email,
		CSRF:       a.csrf,
		SignOutURL: c.Echo().Reverse(route.AdminSignOut),
	}
	for _, l := range []struct{ label, route, testid string }{
		{"Stores", route.AdminStores, "nav-stores"},
		{"Embed", route.AdminEmbed, "nav-embed"},
		{"Inboxes", route.AdminInboxes, "nav-inboxes"},
		{"Troubleshoot", route.AdminTroubleshoot, "nav-troubleshoot"},
		{"AI actions", route.AdminAIActions, "nav-ai"},
		{"API keys", route.AdminAPIKeys, "nav-api-keys"},
	} {
		ch.Nav = append(ch.Nav, views.NavLink{Label: l.label, URL: c.Echo().Reverse(l.route), Current: l.route == currentRoute, TestID: l.testid})
	}
	n, err := p.Notices.TakeNotice(c.Request().Context(), a.session.ID)
	if err != nil {
		return ch, err
	}
	ch.Notice = views.Notice{Message: n.Message, Error: n.Error}
	return ch, nil
}

// notice keeps a message for the next page and redirects there (POST,
// then redirect, then GET).
func (p *Pages) notice(c echo.Context, to string, n domain.Notice, params ...any) error {
	if err := p.Notices.SetNotice(c.Request().Context(), current(c).session.ID, n); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, c.Echo().Reverse(to, params...))
}

// Home sends /admin to the stores page.
func Home(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, c.Echo().Reverse(route.AdminStores))
}
