package handlers_test

import (
	"net/url"
	"testing"

	"shopcard/fakeshopify"
	"shopcard/internal/app"
	"shopcard/internal/apptest"
	"shopcard/views"
)

// TestDemoInboxMintsWithTheCurrentSecret: the demo inbox signs each
// sidebar with the workspace's secret as it is now, so it keeps working
// after a rotation without a grace period, while a token of the old
// secret no longer does.
func TestDemoInboxMintsWithTheCurrentSecret(t *testing.T) {
	env := apptest.Start(t, apptest.Options{Demo: &app.Demo{Workspace: apptest.WorkspaceName, Contacts: []views.DemoContact{{Name: "Maya Chen", Email: fakeshopify.EmailShowcase}}}})
	frame := func(t *testing.T) string {
		t.Helper()
		p := env.Browser(t).Get("/demo?contact=0")
		src := p.Attr("sidebar-frame", "src")
		u, err := url.Parse(src)
		if err != nil || u.Query().Get("token") == "" {
			t.Fatalf("the demo's frame %q has no token", src)
		}
		return src
	}
	sidebar := func(t *testing.T, src string) int {
		t.Helper()
		return env.Browser(t).Get(src).Status()
	}
	before := frame(t)
	if got := sidebar(t, before); got != 200 {
		t.Fatalf("the demo's sidebar: %d", got)
	}
	if _, err := env.App.DB.RotateEmbedSecret(t.Context(), env.WS.ID, 0); err != nil {
		t.Fatal(err)
	}
	if got := sidebar(t, before); got != 401 {
		t.Errorf("a token of the rotated-away secret: %d, want 401", got)
	}
	after := frame(t)
	if after == before {
		t.Fatal("the demo minted the same token after the rotation")
	}
	if got := sidebar(t, after); got != 200 {
		t.Errorf("the demo's sidebar after a rotation without grace: %d, want 200", got)
	}
}
