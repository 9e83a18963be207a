package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/views"
)

// DemoInbox configures the inbox simulator that `shopcard demo` serves: a
// list of contacts, and the sidebar for the one clicked, with a token minted
// here on the server as a real inbox integration would.
type DemoInbox struct {
	Workspace string
	Secret    domain.Secret
	Contacts  []views.DemoContact
}

// demoInbox serves GET /demo?contact=N&theme=….
func demoInbox(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		demo := d.Demo
		page := views.DemoPage{Assets: assets(d), Theme: themeOf(c), Contacts: demo.Contacts, Selected: -1}
		for i := range page.Contacts {
			q := url.Values{"contact": {strconv.Itoa(i)}}
			if page.Theme != views.ThemeSystem {
				q.Set("theme", string(page.Theme))
			}
			page.Contacts[i].URL = c.Echo().Reverse(RouteDemo) + "?" + q.Encode()
		}
		if raw := c.QueryParam("contact"); raw != "" {
			i, err := strconv.Atoi(raw)
			if err != nil || i < 0 || i >= len(demo.Contacts) {
				return domain.Errorf(domain.KindNotFound, "There is no such demo contact.")
			}
			contact := demo.Contacts[i]
			token, err := embedtoken.Sign(demo.Secret, embedtoken.Claims{Workspace: demo.Workspace, Email: contact.Email, Emails: contact.OtherEmails, Name: contact.Name}, d.Now(), 15*time.Minute)
			if err != nil {
				return err
			}
			q := url.Values{"token": {token}}
			if page.Theme != views.ThemeSystem {
				q.Set("theme", string(page.Theme))
			}
			page.Selected = i
			page.SidebarURL = c.Echo().Reverse(RouteSidebar) + "?" + q.Encode()
		}
		c.Response().Header().Set("Content-Security-Policy", contentSecurityPolicy("'none'", "'self'"))
		c.Response().Header().Set("Cache-Control", "no-store")
		return render(c, http.StatusOK, views.DemoPageView(page))
	}
}
