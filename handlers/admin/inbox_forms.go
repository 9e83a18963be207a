package admin

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"shopcard/config"
	"shopcard/domain"
	"shopcard/inbox"
	"shopcard/inbox/front"
	"shopcard/inbox/helpscout"
	"shopcard/views"
)

// This file is the inboxes page's add forms: each helpdesk's steps, the
// fields it needs, and reading them into an installation. The steps say
// what `shopcard inbox add` prints and the README's "Installing in a
// helpdesk" gives.

// The add forms' field names.
const (
	fieldKind          = "kind"
	fieldLabel         = "label"
	fieldURL           = "url"
	fieldAccount       = "account"
	fieldAPIToken      = "api_token"
	fieldAPIEmail      = "email"
	fieldClientID      = "client_id"
	fieldClientSecret  = "client_secret"
	fieldSigningSecret = "signing_secret"
	fieldAuthSecret    = "auth_secret"
	fieldAPIURL        = "api_url"
	fieldFrameOrigins  = "frame_origins"
)

// Limits on what an add form may carry.
const (
	maxLabel = 100
	// maxSecret is far above any helpdesk's tokens; it stops a paste of
	// the wrong file from being sealed into the database.
	maxSecret = 4096
	// helpScoutMaxSecretKey is the longest secret key Help Scout's app
	// settings take.
	helpScoutMaxSecretKey = 40
)

// installGuide is what adding one kind takes: the steps in the helpdesk
// before the form and after it, and the form's own fields.
type installGuide struct {
	before, after []string
	fields        []views.InstallField
}

var installGuides = map[inbox.Kind]installGuide{
	inbox.Chatwoot: {
		before: []string{
			"In Chatwoot, sign in as an agent of the account (an administrator sees every conversation), open Profile settings and copy the Access token.",
			"Note the account id: the number in the dashboard's address, /app/accounts/ID/….",
		},
		after: []string{
			"In Chatwoot: Settings → Integrations → Dashboard Apps → Add a new dashboard app. Name it Shopify and paste the installation's URL from the list above.",
			"Open a conversation: the Shopify tab shows the contact's customer and orders. Test the installation here whenever the token may have changed.",
		},
		fields: []views.InstallField{
			{Name: fieldURL, Label: "Chatwoot URL", Placeholder: "https://chat.acme.com", Required: true, Hint: "The address your agents open Chatwoot at."},
			{Name: fieldAccount, Label: "Account id", InputMode: "numeric", Required: true, Hint: "The number in the dashboard's address: /app/accounts/ID/…."},
			{Name: fieldAPIToken, Label: "Agent's access token", Secret: true, Required: true, Hint: "Profile settings → Access token, of an agent of this account."},
		},
	},
	inbox.HelpScout: {
		before: []string{
			"Help Scout's signed request names only ids, so shopcard reads the customer through an OAuth app for the Inbox API: Your Profile → My Apps → Create App. Copy its App ID and App Secret.",
			"Pick a secret key of 40 characters at most: Help Scout signs each sidebar request with it.",
		},
		after: []string{
			"In Help Scout: Manage → Apps → Create App. Paste the installation's URL from the list above as the Callback URL, enter the same secret key, and pick the mailboxes.",
		},
		fields: []views.InstallField{
			{Name: fieldClientID, Label: "App ID", Required: true, Hint: "Of the OAuth app for the Inbox API (Your Profile → My Apps)."},
			{Name: fieldClientSecret, Label: "App Secret", Secret: true, Required: true, Hint: "Of the same OAuth app."},
			{Name: fieldSigningSecret, Label: "Secret key", Secret: true, Required: true, Hint: "The one you enter in the Help Scout app's settings; 40 characters at most."},
			{Name: fieldAPIURL, Label: "Inbox API URL", Placeholder: helpscout.DefaultAPI, Advanced: true, Hint: "Leave it empty: only a proxy or a test needs another."},
		},
	},
	inbox.Front: {
		before: []string{
			"In Front: Settings → Developers → create an app (or open yours), and copy its auth secret.",
			"Make an API token that can read the inboxes' conversations.",
		},
		after: []string{
			"In your Front app: Features → Add plugin (sidebar), and paste the installation's URL from the list above. Front adds auth_secret to it itself.",
		},
		fields: []views.InstallField{
			{Name: fieldAuthSecret, Label: "App's auth secret", Secret: true, Required: true, Hint: "Front appends it to the plugin's URL; shopcard compares the two."},
			{Name: fieldAPIToken, Label: "API token", Secret: true, Required: true, Hint: "One that can read the conversations of the inboxes the plugin shows in."},
			{Name: fieldAPIURL, Label: "Core API URL", Placeholder: front.DefaultAPI, Advanced: true, Hint: "Leave it empty: only a proxy or a test needs another."},
		},
	},
	inbox.Zendesk: {
		before: []string{
			"In Zendesk: Admin Center → Apps and integrations → Zendesk API. Turn token access on and add an API token, for a user who can read tickets.",
		},
		after: []string{
			"Download the installation's app package from the list above and upload it: Admin Center → Apps and integrations → Zendesk Support apps → Upload private app. Then install it.",
			"Give shopcard the app's public key (GET /api/v2/apps/APP_ID/public_key.pem) and the app installation's id (GET /api/v2/apps/installations.json) in the installation's form. Until then shopcard refuses Zendesk's requests: it can't check their signature.",
		},
		fields: []views.InstallField{
			{Name: fieldURL, Label: "Zendesk URL", Placeholder: "https://acme.zendesk.com", Required: true, Hint: "Your account's zendesk.com address, even if agents use a domain of your own: Zendesk's signature names it."},
			{Name: fieldAPIEmail, Label: "API user's email", Placeholder: "ada@acme.com", Required: true, Hint: "The user the API token belongs to."},
			{Name: fieldAPIToken, Label: "API token", Secret: true, Required: true, Hint: "Admin Center → Apps and integrations → Zendesk API."},
		},
	},
}

// installForm is a kind's add form, with what was typed in its plain
// fields; secrets are never sent back.
func installForm(k inbox.Kind, typed func(string) string) views.InstallForm {
	g := installGuides[k]
	f := views.InstallForm{Kind: string(k), Helpdesk: k.Title(), Before: g.before, After: g.after, AutoOrigins: inbox.DefaultFrameOrigins(k, inbox.Settings{})}
	if len(f.AutoOrigins) == 0 {
		f.AutoOriginWords = autoOrigins(k)
	}
	fields := append([]views.InstallField{
		{Name: fieldLabel, Label: "Label", Hint: "Optional: tells installations apart, such as \"Support team\"."},
	}, g.fields...)
	fields = append(fields, views.InstallField{
		Name: fieldFrameOrigins, Label: "More origins allowed to frame the app", Placeholder: "https://help.acme.com",
		Hint: "Optional, space-separated: only if agents open " + k.Title() + " at another address too.",
	})
	for _, fd := range fields {
		if typed != nil && !fd.Secret {
			fd.Value = typed(fd.Name)
		}
		f.Fields = append(f.Fields, fd)
	}
	return f
}

// autoOrigins says which origins a kind may always frame its app from.
func autoOrigins(k inbox.Kind) string {
	if o := inbox.DefaultFrameOrigins(k, inbox.Settings{}); len(o) > 0 {
		return strings.Join(o, " and ")
	}
	return "the origin of the " + k.Title() + " URL"
}

// readInstallForm reads an add form into an installation, or says, field
// by field, what to fix. The workspace is the caller's to set.
func readInstallForm(k inbox.Kind, form func(string) string) (inbox.Installation, []string) {
	var problems []string
	problem := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	inst := inbox.Installation{Kind: k, Label: strings.TrimSpace(form(fieldLabel))}
	if utf8.RuneCountInString(inst.Label) > maxLabel {
		problem("Label: %d characters at most.", maxLabel)
	}
	secret := func(name, what, where string) domain.Secret {
		v := strings.TrimSpace(form(name))
		switch {
		case v == "":
			problem("%s: paste it (%s).", what, where)
		case len(v) > maxSecret:
			problem("%s: that is over %d characters, longer than any; paste only the %s.", what, maxSecret, strings.ToLower(what))
		}
		return domain.NewSecret(v)
	}
	baseURL := func(name, what, example string, required bool) string {
		raw := strings.TrimSpace(form(name))
		if raw == "" {
			if required {
				problem("%s: enter it, such as %s.", what, example)
			}
			return ""
		}
		u, err := inbox.ValidateBaseURL(raw)
		if err != nil {
			if strings.HasPrefix(strings.ToLower(raw), "http://") {
				problem("%s: use https, such as %s: shopcard sends the installation's credentials there.", what, example)
			} else {
				problem("%s: enter the address alone, such as %s, with nothing after it.", what, example)
			}
			return ""
		}
		return u
	}
	s := &inst.Settings
	switch k {
	case inbox.Chatwoot:
		s.BaseURL = baseURL(fieldURL, "Chatwoot URL", "https://chat.acme.com", true)
		raw := strings.TrimSpace(form(fieldAccount))
		if n, err := strconv.ParseInt(raw, 10, 64); err == nil && n > 0 {
			s.AccountID = n
		} else {
			problem("Account id: enter the number in the dashboard's address, /app/accounts/ID/…, such as 1.")
		}
		s.APIToken = secret(fieldAPIToken, "Agent's access token", "Chatwoot: Profile settings → Access token")
	case inbox.HelpScout:
		s.ClientID = strings.TrimSpace(form(fieldClientID))
		if s.ClientID == "" || len(s.ClientID) > 200 {
			problem("App ID: paste the OAuth app's App ID (Your Profile → My Apps).")
		}
		s.ClientSecret = secret(fieldClientSecret, "App Secret", "Your Profile → My Apps, next to the App ID")
		s.SigningSecret = secret(fieldSigningSecret, "Secret key", "the one you enter in the Help Scout app's settings")
		if n := utf8.RuneCountInString(s.SigningSecret.Reveal()); n > helpScoutMaxSecretKey {
			problem("Secret key: Help Scout takes %d characters at most, and this one has %d. Pick a shorter one and enter the same in Help Scout.", helpScoutMaxSecretKey, n)
		}
		s.BaseURL = baseURL(fieldAPIURL, "Inbox API URL", helpscout.DefaultAPI, false)
	case inbox.Front:
		s.AuthSecret = secret(fieldAuthSecret, "App's auth secret", "Front: Settings → Developers → your app")
		s.APIToken = secret(fieldAPIToken, "API token", "one that can read the inboxes' conversations")
		s.BaseURL = baseURL(fieldAPIURL, "Core API URL", front.DefaultAPI, false)
	case inbox.Zendesk:
		s.BaseURL = baseURL(fieldURL, "Zendesk URL", "https://acme.zendesk.com", true)
		if s.BaseURL != "" && !zendeskAccountURL(s.BaseURL) {
			problem("Zendesk URL: enter the account's zendesk.com address, such as https://acme.zendesk.com, even if agents use a domain of your own: Zendesk's signature names it.")
		}
		if email, err := domain.NormalizeEmail(form(fieldAPIEmail)); err == nil {
			s.APIEmail = email
		} else {
			problem("API user's email: enter the email of the user the API token belongs to, such as ada@acme.com.")
		}
		s.APIToken = secret(fieldAPIToken, "API token", "Admin Center → Apps and integrations → Zendesk API")
	default:
		problem("Pick a helpdesk from the list.")
	}
	origins, err := config.ValidateFrameAncestors(form(fieldFrameOrigins))
	switch {
	case err != nil:
		problem("More origins allowed to frame the app: %s.", err)
	case slices.Contains(origins, "'self'") || slices.Contains(origins, "'none'"):
		problem("More origins allowed to frame the app: list origins such as https://help.acme.com; shopcard itself and %s are allowed already.", autoOrigins(k))
	}
	inst.FrameOrigins = origins
	return inst, problems
}

// zendeskAccountURL reports whether a Zendesk URL is an account's own
// (SUBDOMAIN.zendesk.com, the issuer of its tokens), or a loopback
// stand-in, which ValidateBaseURL alone lets be http.
func zendeskAccountURL(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	return u.Scheme == "http" || strings.HasSuffix(u.Hostname(), ".zendesk.com")
}
