package handlers

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/handlers/respond"
	"shopcard/handlers/route"
	"shopcard/static"
	"shopcard/views"
)

// Gallery builds the component gallery's entries as the sidebar would
// show them at now; fragmentURL is what skeletons and retry controls point
// at (present/gallery.Groups).
type Gallery func(now time.Time, fragmentURL string) []views.GalleryGroup

// componentGallery serves GET /dev/components?theme=…, the designers'
// gallery of every component in every state. It is registered only in dev
// and demo modes. The page links the stylesheet and no script: it shows
// states, it doesn't fetch them.
func componentGallery(groups Gallery, files *static.Files, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		self := c.Echo().Reverse(route.Gallery)
		withTheme := func(t views.Theme) string {
			if t == views.ThemeSystem {
				return self
			}
			return self + "?" + url.Values{"theme": {string(t)}}.Encode()
		}
		page := views.GalleryPage{
			Assets: views.Assets{CSS: files.URL("app.css")},
			Theme:  themeOf(c),
			ThemeURLs: views.GalleryThemeURLs{
				System: withTheme(views.ThemeSystem), Light: withTheme(views.ThemeLight), Dark: withTheme(views.ThemeDark),
			},
			Groups: groups(now(), self),
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return respond.HTML(c, http.StatusOK, views.GalleryPageView(page))
	}
}
