package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"shopcard/views"
)

// componentGallery serves GET /dev/components?theme=…, the designers'
// gallery of every component in every state. It is registered only in dev
// and demo modes. The page links the stylesheet and no script: it shows
// states, it doesn't fetch them.
func componentGallery(d Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		self := c.Echo().Reverse(RouteGallery)
		withTheme := func(t views.Theme) string {
			if t == views.ThemeSystem {
				return self
			}
			return self + "?" + url.Values{"theme": {string(t)}}.Encode()
		}
		page := views.GalleryPage{
			Assets: views.Assets{CSS: d.Static.URL("app.css")},
			Theme:  themeOf(c),
			ThemeURLs: views.GalleryThemeURLs{
				System: withTheme(views.ThemeSystem), Light: withTheme(views.ThemeLight), Dark: withTheme(views.ThemeDark),
			},
			Groups: galleryGroups(d.Now(), self),
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return render(c, http.StatusOK, views.GalleryPageView(page))
	}
}
