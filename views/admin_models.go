package views

import "net/url"

// fillURL reloads the stores page with a form's domain filled in: the
// fallback of a suggestion's one-click fill when script is off.
func fillURL(page, param, value, anchor string) string {
	if value == "" {
		return ""
	}
	return page + "?" + url.Values{param: {value}}.Encode() + "#" + anchor
}

// AdminChrome is what every admin console page shares: who is signed in,
// the navigation, the sign-out form and a one-off notice.
type AdminChrome struct {
	Assets     Assets
	Title      string
	Workspace  string
	AdminEmail string
	CSRF       string
	Nav        []NavLink
	SignOutURL string
	Notice     Notice
}

// NavLink is one entry of the admin navigation.
type NavLink struct {
	Label   string
	URL     string
	Current bool
	TestID  string
}

// Notice is a message shown once, at the top of a page.
type Notice struct {
	Message string
	Error   bool
}

// SignInPage is the admin sign-in form.
type SignInPage struct {
	Assets Assets
	Action string
	CSRF   string
	Email  string // what was typed, on a failed attempt
	Error  string
	Info   string // e.g. "You're signed out."
}

// StoresPage lists a workspace's stores and the ways to connect one: a
// Dev Dashboard app first (what new merchants have), then Shopify OAuth
// when the operator configured an app, then a legacy custom app's token.
// After a refusal, each form gets back what was typed (never a token or
// secret), its error, and, when shopcard worked out the domain meant, a
// suggestion to fill in with one click.
type StoresPage struct {
	Chrome AdminChrome
	// URL is the stores page's own address, for links that reload it.
	URL    string
	Stores []StoreRow

	DevDashboardAction     string
	DevDomain, DevClientID string
	DevError               string
	DevSuggestion          string
	// ScopesToChoose are the scopes the Dev Dashboard instructions ask
	// for, each with why.
	ScopesToChoose []ScopeChoice

	ConnectAction     string
	ConnectDomain     string // echoed back after a failure; the token never is
	ConnectError      string
	ConnectSuggestion string

	// OAuthAction is empty when the operator has configured no Shopify app.
	OAuthAction     string
	OAuthDomain     string
	OAuthError      string
	OAuthSuggestion string
}

// scopeChoiceText follows a scope's name in the Dev Dashboard steps.
func scopeChoiceText(sc ScopeChoice) string {
	if sc.Required {
		return " (required): " + sc.For
	}
	return ": " + sc.For
}

// ScopeChoice is a scope to give an app, and what it is for.
type ScopeChoice struct {
	Name     string
	Required bool
	For      string
}

// StoreRow is one connected store and what can be done with it.
type StoreRow struct {
	ID       string // DOM id
	Domain   string
	ShopName string
	AdminURL string
	Scopes   []ScopeChip
	// ScopeNotes explain missing or limiting scopes in words.
	ScopeNotes []string
	// TokenKind says how the token was obtained ("Dev Dashboard app,
	// renewed automatically"); TokenExpiry and TokenRenewed, for tokens
	// that expire, when it runs out and when it was last renewed.
	TokenKind    string
	TokenExpiry  string
	TokenRenewed string
	// ClientID is a Dev Dashboard app's client ID, which is not secret.
	ClientID  string
	Status    Badge
	LastOK    When // zero Relative: never
	LastError string
	// LastErrorAt is when LastError happened; Advice what to do about
	// the store's status, on this page.
	LastErrorAt When
	Advice      string

	TestAction string
	// ReplaceAction replaces a custom app's token; CredentialsAction a
	// Dev Dashboard app's client ID and secret. Each is set only for its
	// kind of store (an OAuth store is replaced by connecting it again).
	ReplaceAction     string
	CredentialsAction string
	DisconnectURL     string

	// Webhooks says whether Shopify tells shopcard about changes at once,
	// WebhooksDetail what that means and what to do, and WebhookErrors
	// why Shopify refused any subscriptions.
	Webhooks       Badge
	WebhooksDetail string
	WebhookErrors  []string
	// WebhookNotes say which topics were not asked for, and what that
	// costs.
	WebhookNotes []string
	// OfferSubscribe: the store was connected through an app and not
	// every topic it may have is subscribed.
	OfferSubscribe bool
	// WebhookSecretAction saves a custom app's webhook signing secret;
	// empty for stores connected through the app.
	WebhookSecretAction string
	// SubscribeAction asks Shopify for the subscriptions; empty when
	// shopcard has no public URL to give it.
	SubscribeAction string
}

// ScopeChip is a scope the store's token holds, or one it lacks.
type ScopeChip struct {
	Name string
	Tone Tone // good when granted; bad when a required scope is missing; warn for read_all_orders missing
	Note string
}

// DisconnectPage asks to confirm a disconnection.
type DisconnectPage struct {
	Chrome    AdminChrome
	Domain    string
	ShopName  string
	Action    string
	CancelURL string
}

// Option is one choice of a select.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// Snippet is copy-paste code for an integration.
type Snippet struct {
	ID       string
	Title    string
	Language string
	Code     string
}

// EmbedPage shows how to embed the sidebar and the workspace's settings.
type EmbedPage struct {
	Chrome    AdminChrome
	Workspace string

	// Secret is the embed secret, set only on the secret's own page
	// (GET, reached by an explicit click or after a rotation).
	Secret       string
	RevealURL    string
	HideURL      string
	RotateAction string
	// SecretVersion names the secret the page shows (when it was made),
	// so a rotation replaces that one and not one made since.
	SecretVersion  string
	GraceOptions   []Option
	SecretAge      string // "Made 3 days ago"
	PreviousActive string // "The previous secret keeps working until …"

	SettingsAction        string
	FrameAncestors        string
	DefaultFrameAncestors string
	CacheTTL              string // seconds; empty for the default
	DefaultCacheTTL       string
	SettingsError         string

	Snippets []Snippet

	PreviewAction string
	PreviewEmail  string
	PreviewError  string
}

// RotateConfirmPage asks before a rotation that stops the old secret at
// once.
type RotateConfirmPage struct {
	Chrome    AdminChrome
	Workspace string
	// SecretVersion is the secret the admin chose to replace, carried on
	// so that a rotation made by another admin meanwhile is not replaced.
	SecretVersion string
	Action        string
	CancelURL     string
}

// PreviewPage shows the sidebar as a rep would see it, for one email.
type PreviewPage struct {
	Chrome     AdminChrome
	Email      string
	SidebarURL string
	BackURL    string
}

// TroubleshootPage explains what the sidebar finds for one email, store by
// store.
type TroubleshootPage struct {
	Chrome       AdminChrome
	Action       string
	BypassAction string
	Email        string
	Error        string
	Bypassed     bool
	Results      []TroubleshootResult
	NoStores     bool
	Causes       []Cause
}

// TroubleshootResult is what one store answered.
type TroubleshootResult struct {
	ID       string // DOM id
	Domain   string
	ShopName string
	Status   Badge
	Outcome  Badge // matched, no match, failed
	Customer string
	Orders   string
	Took     string
	Cost     string
	Source   string
	Scopes   []ScopeChip
	Withheld []string
	Error    string
	Hints    []string
}

// Cause is a common reason for an empty sidebar, in plain words.
type Cause struct {
	Title string
	Text  string
}

// AdminError is an admin console error page.
type AdminError struct {
	Assets  Assets
	Title   string
	Message string
	BackURL string
}

// InboxesPage lists a workspace's helpdesk installations and the forms
// that add one, a helpdesk at a time.
type InboxesPage struct {
	Chrome        AdminChrome
	Installations []InstallationRow
	// AddressNote warns that the app URLs use the address this page was
	// opened at, because shopcard's public URL isn't configured.
	AddressNote string
	AddAction   string
	Forms       []InstallForm
}

// InstallationRow is one installation: what to paste where, its settings
// without their secrets, who may frame it, and what can be done with it.
type InstallationRow struct {
	ID       string // DOM id
	Kind     string
	Helpdesk string
	Label    string
	// Handle names the installation in shopcard's logs.
	Handle     string
	AppURL     string
	PasteWhere string
	Settings   []Fact
	Origins    []FrameOrigin
	Created    When

	TestAction string
	RemoveURL  string

	// Zendesk is set for Zendesk installations only.
	Zendesk *ZendeskSetup
}

// ZendeskSetup is what a Zendesk installation needs after it is added: the
// private app to upload, and the form for the key Zendesk signs with once
// the app is installed.
type ZendeskSetup struct {
	PackageURL string
	KeyAction  string
	KeySaved   bool
	// Audience is what Zendesk's tokens must name, once the key is saved.
	Audience string
	// PublicKey and AppInstallationID are echoed back after a refused
	// save; a public key is public.
	PublicKey         string
	AppInstallationID string
	KeyError          string
}

// Fact is a labelled value.
type Fact struct {
	Label string
	Value string
}

// FrameOrigin is an origin allowed to frame an installation's app:
// Automatic when its kind needs it, otherwise added by an admin.
type FrameOrigin struct {
	Origin    string
	Automatic bool
}

// InstallForm adds one kind of installation: the helpdesk's steps before
// and after, and the form's fields.
type InstallForm struct {
	Kind     string
	Helpdesk string
	Before   []string
	After    []string
	Fields   []InstallField
	// AutoOrigins are the origins allowed to frame the app without being
	// listed; AutoOriginWords says which when they come from the URL
	// entered ("the origin of the Chatwoot URL").
	AutoOrigins     []string
	AutoOriginWords string
	Error           string
	// Open unfolds the form: it is the one that was refused.
	Open bool
}

// InstallField is one input of an InstallForm. A Secret is a password
// field, rendered empty whatever Value holds.
type InstallField struct {
	Name        string
	Label       string
	Hint        string
	Placeholder string
	Value       string
	InputMode   string
	Secret      bool
	Required    bool
	// Advanced fields are folded away: only tests and proxies need them.
	Advanced bool
}

// RemoveInstallationPage asks to confirm an installation's removal.
type RemoveInstallationPage struct {
	Chrome    AdminChrome
	Helpdesk  string
	Label     string
	Handle    string
	AppURL    string
	Action    string
	CancelURL string
}
