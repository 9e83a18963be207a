package views

import "github.com/a-h/templ"

// GalleryPage is the designers' component gallery at /dev/components: every
// component in every state, rendered from fixtures at the sidebar's real
// widths.
type GalleryPage struct {
	Assets Assets
	Theme  Theme
	// ThemeURLs switch the gallery between following the system and a
	// forced light or dark theme.
	ThemeURLs GalleryThemeURLs
	Groups    []GalleryGroup
}

// GalleryThemeURLs are the gallery's own URL with each theme.
type GalleryThemeURLs struct {
	System, Light, Dark string
}

// GalleryGroup is one component (customer card, order list, store section,
// sidebar) with its states.
type GalleryGroup struct {
	ID      string // anchor
	Title   string
	Entries []GalleryEntry
}

// GalleryEntry is one state of a component, rendered twice: at the
// narrowest and the widest width the sidebar is designed for. The two
// renderings are built separately, so that their DOM ids differ.
type GalleryEntry struct {
	ID    string // anchor
	Title string
	About string // what to look at
	// Scroll shows the component in a box of an inbox frame's height that
	// scrolls, for whole sidebars.
	Scroll bool
	Narrow templ.Component
	Wide   templ.Component
}

// GalleryWidths are the widths, in CSS pixels, each entry is shown at.
var GalleryWidths = [2]int{320, 400}
