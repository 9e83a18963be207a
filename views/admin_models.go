package views

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

// StoresPage lists a workspace's stores and the ways to connect one.
type StoresPage struct {
	Chrome AdminChrome
	Stores []StoreRow

	ConnectAction string
	ConnectDomain string // echoed back after a failure; the token never is
	ConnectError  string

	// OAuthAction is empty when the operator has configured no Shopify app.
	OAuthAction string
	OAuthDomain string
	OAuthError  string
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
	TokenKind  string
	Status     Badge
	LastOK     When // zero Relative: never
	LastError  string

	TestAction    string
	ReplaceAction string
	DisconnectURL string

	// Webhooks says whether Shopify tells shopcard about changes at once,
	// WebhooksDetail what that means and what to do, and WebhookErrors
	// why Shopify refused any subscriptions.
	Webhooks       Badge
	WebhooksDetail string
	WebhookErrors  []string
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

	// Secret is the embed secret, set only in the answer to an explicit
	// reveal or rotation.
	Secret        string
	SecretMessage string
	RevealAction  string
	RotateAction  string
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
