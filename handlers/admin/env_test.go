package admin_test

import (
	"strconv"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/internal/apptest"
)

// adminEnv is the whole application with the admin console (app.New),
// in front of the fake Shopify with its OAuth app. The workspace
// "acme-support" (admin Ada) has Acme and Nordic connected, not Sakura;
// the workspace "rival" (admin Mallory) has Sakura.
type adminEnv struct{ *apptest.Env }

// adminOptions vary the environment.
type adminOptions struct {
	publicURL   string // default: the test server's URL
	noPublicURL bool   // leave SHOPCARD_PUBLIC_URL unset
	noOAuth     bool
}

func newAdminEnv(tb testing.TB) *adminEnv { return newAdminEnvWith(tb, adminOptions{}) }

func newAdminEnvWith(tb testing.TB, o adminOptions) *adminEnv {
	tb.Helper()
	opts := apptest.Options{Layout: apptest.AdminLayout, NoOAuth: o.noOAuth}
	if o.publicURL != "" {
		opts.Env = map[string]string{"SHOPCARD_PUBLIC_URL": o.publicURL}
	}
	if o.noPublicURL {
		opts.Env = map[string]string{"SHOPCARD_PUBLIC_URL": ""}
	}
	return &adminEnv{apptest.Start(tb, opts)}
}

// mintToken signs an embed token for a workspace, as its inbox would.
func mintToken(tb testing.TB, ws domain.Workspace, email string) string {
	tb.Helper()
	tok, err := embedtoken.Sign(ws.EmbedSecret, embedtoken.Claims{Workspace: ws.Name, Email: email}, time.Now(), 15*time.Minute)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
