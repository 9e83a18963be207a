package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/ai"
	"shopcard/domain"
	"shopcard/handlers/respond"
	"shopcard/handlers/route"
	"shopcard/present"
	"shopcard/views"
)

// AIActions is the AI actions page: how agents connect, and a switch per
// tool, with the stores that have not granted a tool's scope.
type AIActions struct {
	Pages    *Pages
	Tools    AIToolStatuses
	Switches AIToolSwitches
	// PublicURL is where agents reach shopcard; when empty, the address
	// this admin used.
	PublicURL string
}

// Page serves GET /admin/ai.
func (a *AIActions) Page(c echo.Context) error {
	ch, err := a.Pages.chrome(c, "AI actions", route.AdminAIActions)
	if err != nil {
		return err
	}
	statuses, err := a.Tools.Statuses(c.Request().Context(), current(c).workspace.ID)
	if err != nil {
		return err
	}
	base := a.PublicURL
	if base == "" {
		base = c.Scheme() + "://" + c.Request().Host
	}
	mcpURL := base + c.Echo().Reverse(route.MCP)
	page := views.AIActionsPage{
		Chrome: ch, MCPURL: mcpURL, APIURL: base + "/api/v1/tools/{tool}",
		OpenAPIURL: base + c.Echo().Reverse(route.APIOpenAPI), KeysURL: c.Echo().Reverse(route.AdminAPIKeys),
		Snippets: agentSnippets(base, mcpURL),
	}
	stores := c.Echo().Reverse(route.AdminStores)
	for _, st := range statuses {
		row := views.AIToolRow{
			ID: "tool-" + st.Tool.Name, Name: st.Tool.Name, Title: st.Tool.Title, Description: st.Tool.Description,
			Enabled: st.Enabled, Scope: st.Tool.Scope, SwitchAction: c.Echo().Reverse(route.AdminAITool, st.Tool.Name),
		}
		switch {
		case !st.Enabled:
			row.Status = views.Badge{Label: "Switched off", Tone: views.ToneNeutral}
		case !st.Available:
			row.Status = views.Badge{Label: "Off until a store grants " + st.Tool.Scope, Tone: views.ToneWarn}
		default:
			row.Status = views.Badge{Label: "Offered to agents", Tone: views.ToneGood}
		}
		if st.Enabled {
			row.SwitchTo, row.SwitchLabel = "false", "Switch off"
		} else {
			row.SwitchTo, row.SwitchLabel = "true", "Switch on"
		}
		for _, s := range st.Missing {
			row.Missing = append(row.Missing, views.ScopeGap{Domain: s.Domain, URL: stores + "#" + present.SectionID(s)})
		}
		page.Tools = append(page.Tools, row)
	}
	return respond.HTML(c, http.StatusOK, views.AIActionsPageView(page))
}

// Switch serves POST /admin/ai/tools/:tool.
func (a *AIActions) Switch(c echo.Context) error {
	tool := c.Param("tool")
	if !ai.IsTool(tool) {
		return domain.Errorf(domain.KindNotFound, "There is no AI action named %q.", tool)
	}
	on, err := strconv.ParseBool(c.FormValue("enabled"))
	if err != nil {
		return domain.Errorf(domain.KindInvalid, "Choose to switch the action on or off.")
	}
	if err := a.Switches.SetAIToolEnabled(c.Request().Context(), current(c).workspace.ID, tool, on); err != nil {
		return err
	}
	state := "off: agents no longer see it"
	if on {
		state = "on"
	}
	return a.Pages.notice(c, route.AdminAIActions, domain.Notice{Message: fmt.Sprintf("%s is switched %s.", tool, state)})
}

// agentSnippets are copy-paste configurations for common MCP clients and
// a curl call of the JSON API, with a placeholder for the key: the page
// never holds one.
func agentSnippets(base, mcpURL string) []views.Snippet {
	const key = "sck_YOUR_KEY"
	return []views.Snippet{
		{ID: "snippet-claude-code", Title: "Claude Code", Language: "sh",
			Code: "claude mcp add --transport http shopcard " + mcpURL + ` --header "Authorization: Bearer ` + key + `"`},
		{ID: "snippet-mcp-json", Title: "An MCP client's JSON configuration (.mcp.json for Claude Code; Cursor and VS Code take the same server entry)", Language: "json",
			Code: `{
  "mcpServers": {
    "shopcard": {
      "type": "http",
      "url": "` + mcpURL + `",
      "headers": { "Authorization": "Bearer ` + key + `" }
    }
  }
}`},
		{ID: "snippet-curl", Title: "The JSON API with curl", Language: "sh",
			Code: "curl -sS " + base + "/api/v1/tools/get_order_details \\\n  -H 'Authorization: Bearer " + key + "' \\\n  -H 'Content-Type: application/json' \\\n  -d '{\"order_number\": \"#1042\", \"customer_email\": \"customer@example.com\"}'"},
	}
}

// APIKeys is the API keys page: a workspace's keys, made, listed and
// revoked here as with shopcard api-key.
type APIKeys struct {
	Pages *Pages
	Keys  APIKeyStore
	Now   func() time.Time
}

// Page serves GET /admin/api-keys.
func (k *APIKeys) Page(c echo.Context) error {
	page, err := k.page(c)
	if err != nil {
		return err
	}
	return respond.HTML(c, http.StatusOK, views.APIKeysPageView(page))
}

func (k *APIKeys) page(c echo.Context) (views.APIKeysPage, error) {
	ch, err := k.Pages.chrome(c, "API keys", route.AdminAPIKeys)
	if err != nil {
		return views.APIKeysPage{}, err
	}
	keys, err := k.Keys.APIKeys(c.Request().Context(), current(c).workspace.ID)
	if err != nil {
		return views.APIKeysPage{}, err
	}
	now := k.Now()
	page := views.APIKeysPage{Chrome: ch, CreateAction: c.Echo().Reverse(route.AdminAPIKeyCreate), AIActionsURL: c.Echo().Reverse(route.AdminAIActions)}
	for _, key := range keys {
		row := views.APIKeyRow{
			ID: "api-key-" + strconv.FormatInt(key.ID, 10), Name: key.Name, Prefix: key.Prefix + "…",
			Created: present.When(key.CreatedAt, now), Revoked: key.Revoked(),
			RevokeAction: c.Echo().Reverse(route.AdminAPIKeyRevoke, key.ID),
		}
		if !key.LastUsedAt.IsZero() {
			row.LastUsed = present.When(key.LastUsedAt, now)
		}
		if key.Revoked() {
			row.RevokedAt = present.When(key.RevokedAt, now)
		}
		page.Keys = append(page.Keys, row)
	}
	return page, nil
}

// Create serves POST /admin/api-keys: the new key shows once, in this
// answer, which is never cached (admin pages are no-store).
func (k *APIKeys) Create(c echo.Context) error {
	key, made, err := ai.NewAPIKey(c.Request().Context(), k.Keys, current(c).workspace.ID, c.FormValue("name"))
	if domain.KindOf(err) == domain.KindInvalid {
		page, perr := k.page(c)
		if perr != nil {
			return perr
		}
		page.NameError = domain.MessageOf(err)
		return respond.HTML(c, http.StatusBadRequest, views.APIKeysPageView(page))
	}
	if err != nil {
		return err
	}
	page, err := k.page(c)
	if err != nil {
		return err
	}
	page.NewKey, page.NewKeyName = key, made.Name
	return respond.HTML(c, http.StatusOK, views.APIKeysPageView(page))
}

// Revoke serves POST /admin/api-keys/:key/revoke, for a key of the
// signed-in admin's workspace only.
func (k *APIKeys) Revoke(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("key"), 10, 64)
	if err != nil {
		return domain.Errorf(domain.KindNotFound, "This API key is not one of your workspace's.")
	}
	revoked, err := k.Keys.RevokeAPIKey(c.Request().Context(), current(c).workspace.ID, id)
	if domain.KindOf(err) == domain.KindNotFound {
		return domain.Errorf(domain.KindNotFound, "This API key is not one of your workspace's.")
	}
	if err != nil {
		return err
	}
	return k.Pages.notice(c, route.AdminAPIKeys, domain.Notice{Message: fmt.Sprintf("Revoked the key %q: it no longer opens anything.", revoked.Name)})
}
