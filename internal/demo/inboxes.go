package demo

import (
	"context"
	"fmt"
	"net/url"

	"shopcard/domain"
	"shopcard/fakehelpdesk"
	"shopcard/inbox"
	"shopcard/internal/app"
)

// Installations are a workspace's four helpdesk installations, one per
// fake helpdesk.
type Installations map[inbox.Kind]inbox.Installation

// SeedInstallations installs shopcard in each fake helpdesk for a
// workspace, with the fakes' credentials, as an admin would with
// `shopcard inbox add`. The fakes run on loopback http origins, so those
// are the frame origins the Help Scout and Front installations add.
func SeedInstallations(ctx context.Context, a *app.App, ws domain.Workspace, fakes *fakehelpdesk.Set) (Installations, error) {
	out := Installations{}
	for _, inst := range []inbox.Installation{
		{Kind: inbox.Chatwoot, Label: "demo Chatwoot", Settings: inbox.Settings{
			BaseURL: fakes.ChatwootURL, AccountID: fakehelpdesk.ChatwootAccount, APIToken: domain.NewSecret(fakehelpdesk.ChatwootToken)}},
		{Kind: inbox.HelpScout, Label: "demo Help Scout", FrameOrigins: []string{fakes.HelpScoutURL}, Settings: inbox.Settings{
			BaseURL: fakes.HelpScoutURL, SigningSecret: domain.NewSecret(fakehelpdesk.HelpScoutSigningKey),
			ClientID: fakehelpdesk.HelpScoutClientID, ClientSecret: domain.NewSecret(fakehelpdesk.HelpScoutSecret)}},
		{Kind: inbox.Front, Label: "demo Front", FrameOrigins: []string{fakes.FrontURL}, Settings: inbox.Settings{
			BaseURL: fakes.FrontURL, APIToken: domain.NewSecret(fakehelpdesk.FrontToken), AuthSecret: domain.NewSecret(fakehelpdesk.FrontAuthSecret)}},
		{Kind: inbox.Zendesk, Label: "demo Zendesk", Settings: inbox.Settings{
			BaseURL: fakes.ZendeskURL, APIEmail: fakehelpdesk.ZendeskEmail, APIToken: domain.NewSecret(fakehelpdesk.ZendeskToken),
			PublicKeyPEM: fakes.Zendesk.PublicKeyPEM(), AppInstallationID: fakes.Zendesk.InstallationID}},
	} {
		inst.WorkspaceID = ws.ID
		created, err := a.DB.CreateInstallation(ctx, inst)
		if err != nil {
			return nil, fmt.Errorf("install demo %s: %w", inst.Kind, err)
		}
		out[inst.Kind] = created
	}
	return out, nil
}

// SeedHelpdesks installs shopcard in the demo's fake helpdesks, replacing
// the installations a kept database has from an earlier run (whose fakes
// were on other ports), and fills pages with each simulator's page.
func SeedHelpdesks(ctx context.Context, a *app.App, fakes *fakehelpdesk.Set, publicURL string, pages map[string]string) error {
	ws, err := a.DB.WorkspaceByName(ctx, Workspace)
	if err != nil {
		return err
	}
	old, err := a.DB.InstallationsByWorkspace(ctx, ws.ID)
	if err != nil {
		return err
	}
	for _, inst := range old {
		if err := a.DB.RemoveInstallation(ctx, ws.ID, inst.ID); err != nil {
			return err
		}
	}
	insts, err := SeedInstallations(ctx, a, ws, fakes)
	if err != nil {
		return err
	}
	app := func(kind inbox.Kind) string {
		return publicURL + "/apps/" + string(kind) + "?install=" + insts[kind].ID
	}
	pages["chatwoot"] = fakehelpdesk.ChatwootPageURL(fakes.ChatwootURL, fakehelpdesk.ChatwootAccount, fakehelpdesk.ChatwootMaya, app(inbox.Chatwoot))
	pages["helpscout"] = fakes.HelpScoutURL + fmt.Sprintf("/conversation/%d?app=", fakehelpdesk.HelpScoutMaya) + url.QueryEscape(app(inbox.HelpScout))
	pages["front"] = fakes.FrontURL + "/inbox?plugin=" + url.QueryEscape(app(inbox.Front))
	pages["zendesk"] = fakes.ZendeskURL + fmt.Sprintf("/agent/tickets/%d?app=", fakehelpdesk.ZendeskMayaTicket) + url.QueryEscape(app(inbox.Zendesk))
	return nil
}
