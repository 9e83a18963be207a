// Package demo seeds the demo: a workspace with the fake Shopify's three
// stores connected through the checks an admin's connection goes through
// (two with custom-app tokens, Sakura Stationery with the fake's Dev
// Dashboard app), their webhooks signed and subscribed, and an admin
// account.
package demo

import (
	"context"
	"fmt"

	"shopcard/ai"
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

// stores are the fake stores the demo connects: with a custom app's token,
// or, without one, with the fake's Dev Dashboard app, whose client
// credentials get its tokens and sign its webhooks. Acme and Sakura grant
// read_products, for the AI actions on the catalog, and Nordic Goods
// doesn't, to show a store that hasn't; nor does Oud & Amber House, which
// shows prices in a three-decimal currency. Acme and Oud & Amber House
// grant read_returns, so their opened orders show returns.
var stores = []struct{ domain, token string }{
	{fakeshopify.AcmeDomain, fakeshopify.AcmeTokenWithProducts},
	{fakeshopify.NordicDomain, fakeshopify.NordicToken},
	{fakeshopify.SakuraDomain, ""},
	{fakeshopify.GulfDomain, fakeshopify.GulfToken},
}

// AgentKeyName names the API key each demo run makes for trying the AI
// actions.
const AgentKeyName = "Demo agent"

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
		if s.token == "" {
			store, _, err := a.Connector.ConnectDevDashboardApp(ctx, ws, s.domain, fakeshopify.DevAppClientID, domain.NewSecret(fakeshopify.DevAppClientSecret))
			if err != nil {
				return domain.Workspace{}, fmt.Errorf("connect demo store %s with the Dev Dashboard app: %w", s.domain, err)
			}
			if _, err := webhooks.Subscribe(ctx, a.Shopify, a.DB, store, publicURL); err != nil {
				return domain.Workspace{}, fmt.Errorf("subscribe demo store %s to webhooks: %w", s.domain, err)
			}
			continue
		}
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

// AgentKey makes a fresh API key for the demo workspace, to try the MCP
// server and the JSON API with, and revokes the ones earlier runs made:
// only a key's hash is kept, so an old one cannot be shown again.
func AgentKey(ctx context.Context, a *app.App, ws domain.Workspace) (string, error) {
	keys, err := a.DB.APIKeys(ctx, ws.ID)
	if err != nil {
		return "", err
	}
	for _, k := range keys {
		if k.Name == AgentKeyName && !k.Revoked() {
			if _, err := a.DB.RevokeAPIKey(ctx, ws.ID, k.ID); err != nil {
				return "", err
			}
		}
	}
	key, _, err := ai.NewAPIKey(ctx, a.DB, ws.ID, AgentKeyName)
	return key, err
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
