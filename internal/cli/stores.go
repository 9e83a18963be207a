package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"shopcard/domain"
	"shopcard/present"
)

func cmdStores(ctx context.Context, e env, args []string) error {
	const synopsis = "stores add --workspace W --domain X.myshopify.com --client-id ID   (a Dev Dashboard app; reads its client secret from stdin)" +
		"\n       shopcard stores add --workspace W --domain X.myshopify.com   (a custom app made before 2026; reads its access token from stdin)\n       shopcard stores list [--workspace W]\n       shopcard stores remove --workspace W --domain X.myshopify.com" +
		"\n       shopcard stores set-webhook-secret --workspace W --domain X.myshopify.com   (reads the secret from stdin)" +
		"\n       shopcard stores subscribe-webhooks --workspace W --domain X.myshopify.com"
	return runGroup(ctx, e, "stores", synopsis, args, map[string]subcommand{
		"add":                storesAdd,
		"list":               storesList,
		"remove":             storesRemove,
		"set-webhook-secret": storesSetWebhookSecret,
		"subscribe-webhooks": storesSubscribeWebhooks,
	})
}

func storesAdd(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "stores add", "stores add --workspace W --domain X.myshopify.com [--client-id ID] < secret.txt\n\n"+
		"With --client-id, stdin is the client secret of a Dev Dashboard app installed on the store: shopcard gets\n"+
		"its access tokens with them and renews them by itself. Without it, stdin is the Admin API access token of\n"+
		"a custom app made in the store's admin (before 2026), which doesn't expire.")
	wf := workspaceFlags(fs)
	shop := fs.String("domain", "", "the store's permanent domain, ending in .myshopify.com")
	clientID := fs.String("client-id", "", "the client ID of a Dev Dashboard app installed on the store (its settings page shows it); stdin is then its client secret")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *shop == "" {
		return errors.New("--workspace and --domain are required")
	}
	a, ws, err := wf.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	what := "token"
	if *clientID != "" {
		what = "client secret"
	}
	secret, err := readSecretLine(e.stdin)
	if err != nil {
		return fmt.Errorf("read the %s from stdin: %w", what, err)
	}
	// The same checks as the admin console's (storeconnect).
	var s domain.Store
	var created bool
	if *clientID != "" {
		s, created, err = a.Connector.ConnectDevDashboardApp(ctx, ws, *shop, *clientID, domain.NewSecret(secret))
	} else {
		s, created, err = a.Connector.ConnectStore(ctx, ws, *shop, domain.Store{AccessToken: domain.NewSecret(secret), TokenKind: domain.TokenCustomApp})
	}
	if err != nil {
		return err
	}
	verb := "Connected"
	if !created {
		verb = "Updated the credentials of"
	}
	fmt.Fprintf(e.stdout, "%s %s (%s) in workspace %q. Scopes: %s.\n", verb, s.Domain, s.ShopName, ws.Name, strings.Join(s.Scopes, ", "))
	if s.TokenKind == domain.TokenClientCredentials {
		fmt.Fprintf(e.stdout, "Its access token comes from the Dev Dashboard app, expires %s and is renewed automatically.\n", s.AccessTokenExpiresAt.UTC().Format("2 Jan 2006, 15:04 UTC"))
		if a.Config.PublicURL != "" {
			fmt.Fprintf(e.stdout, "Subscribe it to webhooks with: shopcard stores subscribe-webhooks --workspace %s --domain %s\n", ws.Name, s.Domain)
		}
	}
	for _, note := range present.MissingOptionalNotes(s.Scopes, a.Config.CacheTTL) {
		fmt.Fprintln(e.stdout, note)
	}
	return nil
}

func storesList(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "stores list", "stores list [--workspace W]")
	wsName := fs.String("workspace", "", "only this workspace")
	db := dbFlag(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := open(ctx, e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	d := a.DB
	var workspaces []domain.Workspace
	if *wsName != "" {
		ws, err := d.WorkspaceByName(ctx, *wsName)
		if err != nil {
			return err
		}
		workspaces = append(workspaces, ws)
	} else if workspaces, err = d.Workspaces(ctx); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WORKSPACE\tDOMAIN\tSHOP\tKIND\tSTATUS\tSCOPES\tLAST ERROR")
	for _, ws := range workspaces {
		stores, err := d.StoresByWorkspace(ctx, ws.ID)
		if err != nil {
			return err
		}
		for _, s := range stores {
			lastError := s.LastError
			if lastError != "" && !s.LastErrorAt.IsZero() {
				lastError = s.LastErrorAt.UTC().Format("2006-01-02 15:04 UTC") + ": " + lastError
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", ws.Name, s.Domain, s.ShopName, s.TokenKind, s.Status, strings.Join(s.Scopes, ","), lastError)
		}
	}
	return tw.Flush()
}

func storesRemove(ctx context.Context, e env, args []string) error {
	a, s, err := parseStoreFlags(ctx, e, "stores remove", "stores remove --workspace W --domain X.myshopify.com", args)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.DB.RemoveStore(ctx, s.WorkspaceID, s.ID); err != nil {
		return err
	}
	// On PostgreSQL every running replica drops the store's answers too.
	a.Evictions.PurgeStore(s.ID)
	fmt.Fprintf(e.stdout, "Removed %s; its token is deleted.\n", s.Domain)
	return nil
}
