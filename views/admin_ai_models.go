package views

// AIActionsPage shows a workspace's AI actions: how an agent connects,
// each tool's switch, and which stores have not granted the scope a tool
// needs, with the way to grant it.
type AIActionsPage struct {
	Chrome AdminChrome
	// MCPURL, APIURL and OpenAPIURL are where agents reach the tools;
	// KeysURL is the API keys page.
	MCPURL     string
	APIURL     string
	OpenAPIURL string
	KeysURL    string
	Snippets   []Snippet
	Tools      []AIToolRow
}

// AIToolRow is one tool, its switch and whether agents can use it.
type AIToolRow struct {
	ID          string // DOM id
	Name        string
	Title       string
	Description string
	Enabled     bool
	// Status says whether agents see the tool: listed, switched off, or
	// waiting for a store to grant its scope.
	Status Badge
	// Scope is the scope the tool needs beyond the required ones; Missing
	// the stores that have not granted it, each linking to the change.
	Scope   string
	Missing []ScopeGap
	// SwitchAction switches the tool to SwitchTo ("true" or "false").
	SwitchAction string
	SwitchTo     string
	SwitchLabel  string
}

// ScopeGap is a store that has not granted a scope, and where an admin
// grants it.
type ScopeGap struct {
	Domain string
	URL    string
}

// APIKeysPage lists a workspace's API keys and makes new ones.
type APIKeysPage struct {
	Chrome       AdminChrome
	CreateAction string
	// NewKey is the key just made, shown once in the answer to its
	// creation and never again.
	NewKey     string
	NewKeyName string
	NameError  string
	Keys       []APIKeyRow
	// AIActionsURL is the AI actions page, with the connection snippets.
	AIActionsURL string
}

// APIKeyRow is one key: never the key itself, only its first characters.
type APIKeyRow struct {
	ID           string // DOM id
	Name         string
	Prefix       string // "sck_Ab12Cd34…"
	Created      When
	LastUsed     When // zero Relative: never
	Revoked      bool
	RevokedAt    When
	RevokeAction string
}
