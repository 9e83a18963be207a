package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/handlers/respond"
	"shopcard/handlers/route"
	"shopcard/inbox"
	"shopcard/inbox/zendesk"
	"shopcard/present"
	"shopcard/views"
)

// Zendesk key form fields, and how much of a pasted key is read.
const (
	fieldPublicKey         = "public_key"
	fieldAppInstallationID = "app_installation_id"
	maxPublicKey           = 16 << 10
)

// zendeskPackageName is what the app package downloads as, the name the
// README and the CLI use.
const zendeskPackageName = "shopcard-zendesk.zip"

// Inboxes is the inboxes page: the workspace's helpdesk installations
// (Chatwoot, Help Scout, Front, Zendesk), adding one with its helpdesk's
// steps, testing its credentials, Zendesk's app package and public key, and
// removing one. It does what `shopcard inbox` does.
type Inboxes struct {
	Pages         *Pages
	Installations InstallationStore
	Checker       InstallationChecker
	// PublicURL is where helpdesks reach shopcard (SHOPCARD_PUBLIC_URL),
	// which app URLs are built from; when empty, the address this admin
	// used, and the page says so.
	PublicURL string
	Now       func() time.Time
}

// Page serves GET /admin/inboxes.
func (h *Inboxes) Page(c echo.Context) error {
	page, err := h.page(c)
	if err != nil {
		return err
	}
	return respond.HTML(c, http.StatusOK, views.InboxesPageView(page))
}

// page lists the signed-in admin's installations, and only theirs, with an
// empty add form per kind.
func (h *Inboxes) page(c echo.Context) (views.InboxesPage, error) {
	ch, err := h.Pages.chrome(c, "Inboxes", route.AdminInboxes)
	if err != nil {
		return views.InboxesPage{}, err
	}
	list, err := h.Installations.InstallationsByWorkspace(c.Request().Context(), current(c).workspace.ID)
	if err != nil {
		return views.InboxesPage{}, err
	}
	page := views.InboxesPage{Chrome: ch, AddAction: c.Echo().Reverse(route.AdminInboxAdd)}
	if h.PublicURL == "" {
		page.AddressNote = "shopcard's public address isn't configured (SHOPCARD_PUBLIC_URL), so these URLs use the address you opened this page at. Helpdesks must be able to reach it over https."
	}
	now := h.Now()
	for _, inst := range list {
		page.Installations = append(page.Installations, h.row(c, inst, now))
	}
	for _, k := range inbox.Kinds {
		page.Forms = append(page.Forms, installForm(k, nil))
	}
	return page, nil
}

// row is one installation on the page, with its actions.
func (h *Inboxes) row(c echo.Context, inst inbox.Installation, now time.Time) views.InstallationRow {
	handle := inbox.Handle(inst.ID)
	r := views.InstallationRow{
		ID: "inbox-" + handle, Kind: string(inst.Kind), Helpdesk: inst.Kind.Title(), Label: inst.Label, Handle: handle,
		AppURL: h.appURL(c, inst), PasteWhere: pasteWhere(inst.Kind),
		Settings: installationSettings(inst), Origins: frameOrigins(inst), Created: present.When(inst.CreatedAt, now),
		TestAction: c.Echo().Reverse(route.AdminInboxTest, inst.ID),
		RemoveURL:  c.Echo().Reverse(route.AdminInboxRemove, inst.ID),
	}
	if inst.Kind == inbox.Zendesk {
		s := inst.Settings
		z := &views.ZendeskSetup{
			PackageURL: c.Echo().Reverse(route.AdminInboxPackage, inst.ID),
			KeyAction:  c.Echo().Reverse(route.AdminInboxZendeskKey, inst.ID),
			KeySaved:   s.PublicKeyPEM != "" && s.AppInstallationID != 0,
		}
		if z.KeySaved {
			z.Audience = zendesk.Audience(s.BaseURL, s.AppInstallationID)
			z.AppInstallationID = strconv.FormatInt(s.AppInstallationID, 10)
		}
		r.Zendesk = z
	}
	return r
}

// baseURL is where helpdesks reach shopcard: the public URL when the
// operator set one, else the address this admin used.
func (h *Inboxes) baseURL(c echo.Context) string {
	if h.PublicURL != "" {
		return strings.TrimRight(h.PublicURL, "/")
	}
	return c.Scheme() + "://" + c.Request().Host
}

// appURL is the address an admin pastes into the helpdesk, as the CLI
// prints it.
func (h *Inboxes) appURL(c echo.Context, inst inbox.Installation) string {
	name := map[inbox.Kind]string{
		inbox.Chatwoot: route.AppChatwoot, inbox.HelpScout: route.AppHelpScout, inbox.Front: route.AppFront, inbox.Zendesk: route.AppZendesk,
	}[inst.Kind]
	return h.baseURL(c) + c.Echo().Reverse(name) + "?" + url.Values{"install": {inst.ID}}.Encode()
}

// Add serves POST /admin/inboxes: add an installation of the kind the form
// names to the signed-in admin's workspace. A refusal re-renders the page
// with that kind's form open, saying what to fix, with what was typed in
// its plain fields and never a secret.
func (h *Inboxes) Add(c echo.Context) error {
	kind, err := inbox.ParseKind(c.FormValue(fieldKind))
	if err != nil {
		return domain.Errorf(domain.KindInvalid, "Pick a helpdesk from the list: Chatwoot, Help Scout, Front or Zendesk.")
	}
	inst, problems := readInstallForm(kind, c.FormValue)
	if len(problems) > 0 {
		page, err := h.page(c)
		if err != nil {
			return err
		}
		for i, f := range page.Forms {
			if f.Kind == string(kind) {
				page.Forms[i] = installForm(kind, c.FormValue)
				page.Forms[i].Error, page.Forms[i].Open = strings.Join(problems, " "), true
			}
		}
		return respond.HTML(c, http.StatusBadRequest, views.InboxesPageView(page))
	}
	inst.WorkspaceID = current(c).workspace.ID
	created, err := h.Installations.CreateInstallation(c.Request().Context(), inst)
	if err != nil {
		return err
	}
	return h.Pages.notice(c, route.AdminInboxes, domain.Notice{Message: addedMessage(created)})
}

// installation finds the installation named in the URL within the
// signed-in admin's workspace; any other is "not found", whoever owns it.
func (h *Inboxes) installation(c echo.Context) (inbox.Installation, error) {
	notFound := domain.Errorf(domain.KindNotFound, "This installation isn't in your workspace (it may have been removed).")
	id := c.Param("install")
	if !inbox.ValidID(id) {
		return inbox.Installation{}, notFound
	}
	inst, err := h.Installations.WorkspaceInstallation(c.Request().Context(), current(c).workspace.ID, id)
	if domain.KindOf(err) == domain.KindNotFound {
		return inbox.Installation{}, notFound
	}
	return inst, err
}

// Test serves POST /admin/inboxes/:install/test: call the helpdesk's API
// with the stored credentials, and say what worked or what to fix.
func (h *Inboxes) Test(c echo.Context) error {
	inst, err := h.installation(c)
	if err != nil {
		return err
	}
	err = h.Checker.Check(c.Request().Context(), inst)
	if err != nil && domain.KindOf(err) == domain.KindInternal {
		return err
	}
	return h.Pages.notice(c, route.AdminInboxes, checkNotice(inst, err))
}

// zendeskInstallation is installation, for Zendesk's own routes.
func (h *Inboxes) zendeskInstallation(c echo.Context) (inbox.Installation, error) {
	inst, err := h.installation(c)
	if err == nil && inst.Kind != inbox.Zendesk {
		return inbox.Installation{}, domain.Errorf(domain.KindNotFound, "Only Zendesk installations have an app package and a public key.")
	}
	return inst, err
}

// Package serves GET /admin/inboxes/:install/package: the private app to
// upload to Zendesk, its ticket sidebar at the installation's URL.
func (h *Inboxes) Package(c echo.Context) error {
	inst, err := h.zendeskInstallation(c)
	if err != nil {
		return err
	}
	zip, err := zendesk.Package(h.baseURL(c), inst.ID, inst.Settings.APIEmail)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+zendeskPackageName+`"`)
	return c.Blob(http.StatusOK, "application/zip", zip)
}

// SaveZendeskKey serves POST /admin/inboxes/:install/zendesk-key: the
// installed app's public key and its installation's id, which Zendesk's
// tokens are checked against. A refusal re-renders the page with the
// installation's form saying what to fix.
func (h *Inboxes) SaveZendeskKey(c echo.Context) error {
	inst, err := h.zendeskInstallation(c)
	if err != nil {
		return err
	}
	rawKey := strings.TrimSpace(c.FormValue(fieldPublicKey))
	rawID := strings.TrimSpace(c.FormValue(fieldAppInstallationID))
	var problems []string
	if len(rawKey) > maxPublicKey {
		problems = append(problems, "Public key: that is far longer than a public key; paste only the PEM, from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----.")
	} else if _, err := zendesk.ParsePublicKey(rawKey); err != nil {
		problems = append(problems, "Public key: paste the whole PEM that GET /api/v2/apps/APP_ID/public_key.pem gives, from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----.")
	}
	appInstallation, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || appInstallation <= 0 {
		problems = append(problems, "App installation id: enter the installation's id, a number, from GET /api/v2/apps/installations.json (the installation's \"id\", not its \"app_id\").")
	}
	if len(problems) > 0 {
		page, err := h.page(c)
		if err != nil {
			return err
		}
		for i, r := range page.Installations {
			if r.Zendesk != nil && r.Handle == inbox.Handle(inst.ID) {
				r.Zendesk.PublicKey, r.Zendesk.AppInstallationID, r.Zendesk.KeyError = rawKey, rawID, strings.Join(problems, " ")
				page.Installations[i] = r
			}
		}
		return respond.HTML(c, http.StatusBadRequest, views.InboxesPageView(page))
	}
	s := inst.Settings
	s.PublicKeyPEM, s.AppInstallationID = rawKey+"\n", appInstallation
	if err := h.Installations.UpdateInstallationSettings(c.Request().Context(), current(c).workspace.ID, inst.ID, s); err != nil {
		return err
	}
	return h.Pages.notice(c, route.AdminInboxes, domain.Notice{Message: fmt.Sprintf("Saved the public key of Zendesk app installation %d: Zendesk's signed requests now open the sidebar when they name %s.",
		appInstallation, zendesk.Audience(s.BaseURL, appInstallation))})
}

// ConfirmRemove serves GET /admin/inboxes/:install/remove.
func (h *Inboxes) ConfirmRemove(c echo.Context) error {
	inst, err := h.installation(c)
	if err != nil {
		return err
	}
	ch, err := h.Pages.chrome(c, "Remove the "+inst.Kind.Title()+" installation", route.AdminInboxes)
	if err != nil {
		return err
	}
	return respond.HTML(c, http.StatusOK, views.RemoveInstallationPageView(views.RemoveInstallationPage{
		Chrome: ch, Helpdesk: inst.Kind.Title(), Label: inst.Label, Handle: inbox.Handle(inst.ID), AppURL: h.appURL(c, inst),
		Action: c.Echo().Reverse(route.AdminInboxRemoveSubmit, inst.ID), CancelURL: c.Echo().Reverse(route.AdminInboxes),
	}))
}

// Remove serves POST /admin/inboxes/:install/remove: the installation and
// its sealed settings go, and its URL stops opening the sidebar at once.
func (h *Inboxes) Remove(c echo.Context) error {
	inst, err := h.installation(c)
	if err != nil {
		return err
	}
	if err := h.Installations.RemoveInstallation(c.Request().Context(), current(c).workspace.ID, inst.ID); err != nil {
		return err
	}
	return h.Pages.notice(c, route.AdminInboxes, domain.Notice{Message: fmt.Sprintf("Removed the %s installation %s: its URL no longer opens the sidebar, and its credentials are deleted. Remove the app from %s too.",
		inst.Kind.Title(), inbox.Handle(inst.ID), inst.Kind.Title())})
}
