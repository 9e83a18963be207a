// Package demo seeds the demo: a workspace with the fake Shopify's three
// stores connected through the checks an admin's connection goes through,
// their webhooks signed and subscribed, and an admin account.
package demo

import (
	"context"
	"fmt"

	"shopcard/auth"
	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/internal/app"
	"shopcard/views"
	"shopcard/webhooks"
)

// Workspace is the workspace the demo creates.
const Workspace = "demo"

// The demo's admin console account. The demo runs on loopback with a
// throwaway database, so a published password is fine here.
const (
	AdminEmail    = "admin@demo.example"
	AdminPassword = "shopcard-demo-password"
)

// stores are the fake stores the demo connects, with their tokens.
var stores = []struct{ domain, token string }{
	{fakeshopify.AcmeDomain, fakeshopify.AcmeToken},
	{fakeshopify.NordicDomain, fakeshopify.NordicToken},
	{fakeshopify.SakuraDomain, fakeshopify.SakuraToken},
	{fakeshopify.GulfDomain, fakeshopify.GulfToken},
}

// Inbox is the inbox simulator's settings: the demo workspace and the
// fake's showcase contacts.
func Inbox() *app.Demo {
	var contacts []views.DemoContact
	for _, c := range fakeshopify.DemoContacts() {
		contacts = append(contacts, views.DemoContact{Name: c.Name, Email: c.Email, OtherEmails: c.OtherEmails, About: c.Shows})
	}
	return &app.Demo{Workspace: Workspace, Contacts: contacts}
}

// Seed creates the demo workspace and its admin (or finds them, when the
// database is kept between runs), connects the fake's stores with the
// secrets their webhooks are signed with, and subscribes them to the
// server at publicURL, through the same webhookSubscriptionCreate a real
// store gets.
func Seed(ctx context.Context, a *app.App, fake *fakeshopify.Server, publicURL string) (domain.Workspace, error) {
	ws, err := a.DB.WorkspaceByName(ctx, Workspace)
	if domain.KindOf(err) == domain.KindNotFound {
		ws, err = a.DB.CreateWorkspace(ctx, Workspace)
	}
	if err != nil {
		return domain.Workspace{}, fmt.Errorf("demo workspace: %w", err)
	}
	for _, s := range stores {
		store, _, err := a.Connector.ConnectStore(ctx, ws, s.domain, domain.Store{AccessToken: domain.NewSecret(s.token), TokenKind: domain.TokenCustomApp})
		if err != nil {
			return domain.Workspace{}, fmt.Errorf("connect demo store %s: %w", s.domain, err)
		}
		secret, err := fake.WebhookSecret(s.domain)
		if err != nil {
			return domain.Workspace{}, err
		}
		if err := a.DB.SetWebhookSecret(ctx, ws.ID, store.ID, domain.NewSecret(secret)); err != nil {
			return domain.Workspace{}, err
		}
		if _, err := webhooks.Subscribe(ctx, a.Shopify, a.DB, store, publicURL); err != nil {
			return domain.Workspace{}, fmt.Errorf("subscribe demo store %s to webhooks: %w", s.domain, err)
		}
	}
	if err := seedAdmin(ctx, a, ws); err != nil {
		return domain.Workspace{}, fmt.Errorf("create the demo admin: %w", err)
	}
	return ws, nil
}

// seedAdmin makes sure the demo admin exists with the published password.
// An admin who already has it keeps their sessions, so a restart in dev
// mode does not sign the designer out.
func seedAdmin(ctx context.Context, a *app.App, ws domain.Workspace) error {
	admin, err := a.DB.AdminByEmail(ctx, AdminEmail)
	if err == nil && auth.CheckPassword(admin.PasswordHash, AdminPassword) {
		return nil
	}
	if err != nil && domain.KindOf(err) != domain.KindNotFound {
		return err
	}
	hash, herr := auth.HashPassword(AdminPassword)
	if herr != nil {
		return herr
	}
	if err != nil {
		_, err = a.DB.CreateAdmin(ctx, ws.ID, AdminEmail, hash)
		return err
	}
	return a.DB.SetAdminPassword(ctx, admin.ID, hash)
}
