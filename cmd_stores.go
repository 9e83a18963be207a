package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"shopcard/domain"
	"shopcard/shopify"
	"shopcard/sqlite"
	"shopcard/storeconnect"
)

func cmdStores(ctx context.Context, e env, args []string) error {
	const synopsis = "stores add --workspace W --domain X.myshopify.com   (reads the access token from stdin)\n       shopcard stores list [--workspace W]\n       shopcard stores remove --workspace W --domain X.myshopify.com" +
		"\n       shopcard stores set-webhook-secret --workspace W --domain X.myshopify.com   (reads the secret from stdin)" +
		"\n       shopcard stores subscribe-webhooks --workspace W --domain X.myshopify.com"
	if len(args) == 0 {
		return errors.New("usage: shopcard " + synopsis)
	}
	switch args[0] {
	case "add":
		return storesAdd(ctx, e, args[1:])
	case "list":
		return storesList(ctx, e, args[1:])
	case "remove":
		return storesRemove(ctx, e, args[1:])
	case "set-webhook-secret":
		return storesSetWebhookSecret(ctx, e, args[1:])
	case "subscribe-webhooks":
		return storesSubscribeWebhooks(ctx, e, args[1:])
	case "-h", "--help":
		fmt.Fprintln(e.stdout, "Usage: shopcard "+synopsis)
		return nil
	}
	return fmt.Errorf("unknown stores command %q; usage: shopcard %s", args[0], synopsis)
}

// connectStore verifies an access token against Shopify and saves the
// connection, with the same checks as the admin console (storeconnect).
func connectStore(ctx context.Context, client *shopify.Client, d *sqlite.DB, ws domain.Workspace, rawDomain string, token domain.Secret) (domain.Store, bool, error) {
	return storeconnect.Connector{Checker: client, Stores: d}.ConnectStore(ctx, ws, rawDomain, domain.Store{AccessToken: token, TokenKind: domain.TokenCustomApp})
}

func storesAdd(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "stores add", "stores add --workspace W --domain X.myshopify.com < token.txt")
	wsName := fs.String("workspace", "", "workspace name")
	shop := fs.String("domain", "", "the store's permanent domain, ending in .myshopify.com")
	db := fs.String("db", "", "SQLite database path")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *shop == "" {
		return errors.New("--workspace and --domain are required")
	}
	cfg, d, ws, err := openWorkspace(ctx, e, *db, *wsName)
	if err != nil {
		return err
	}
	defer d.Close()
	tok, err := readSecretLine(e.stdin)
	if err != nil {
		return fmt.Errorf("read token from stdin: %w", err)
	}
	client, err := newShopifyClient(cfg, nil)
	if err != nil {
		return err
	}
	s, created, err := connectStore(ctx, client, d, ws, *shop, domain.NewSecret(tok))
	if err != nil {
		return err
	}
	verb := "Connected"
	if !created {
		verb = "Updated the token of"
	}
	fmt.Fprintf(e.stdout, "%s %s (%s) in workspace %q. Scopes: %s.\n", verb, s.Domain, s.ShopName, ws.Name, strings.Join(s.Scopes, ", "))
	if !shopify.HasScope(s.Scopes, shopify.ScopeAllOrders) {
		fmt.Fprintln(e.stdout, "Note: without read_all_orders, Shopify only shows orders from the last 60 days.")
	}
	return nil
}

func storesList(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "stores list", "stores list [--workspace W]")
	wsName := fs.String("workspace", "", "only this workspace")
	db := fs.String("db", "", "SQLite database path")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	_, d, err := openCLI(ctx, e, *db)
	if err != nil {
		return err
	}
	defer d.Close()
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
	fmt.Fprintln(tw, "WORKSPACE\tDOMAIN\tSHOP\tSTATUS\tSCOPES\tLAST ERROR")
	for _, ws := range workspaces {
		stores, err := d.StoresByWorkspace(ctx, ws.ID)
		if err != nil {
			return err
		}
		for _, s := range stores {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", ws.Name, s.Domain, s.ShopName, s.Status, strings.Join(s.Scopes, ","), s.LastError)
		}
	}
	return tw.Flush()
}

func storesRemove(ctx context.Context, e env, args []string) error {
	_, d, s, err := parseStoreFlags(ctx, e, "stores remove", "stores remove --workspace W --domain X.myshopify.com", args)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.RemoveStore(ctx, s.WorkspaceID, s.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Removed %s; its token is deleted.\n", s.Domain)
	return nil
}
