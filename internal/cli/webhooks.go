package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"shopcard/domain"
	"shopcard/webhooks"
)

// storesSetWebhookSecret saves the secret that signs a store's webhooks
// when they are not signed with the app's client secret: a custom app's,
// which Shopify Admin shows under Settings → Notifications → Webhooks.
func storesSetWebhookSecret(ctx context.Context, e env, args []string) error {
	a, s, err := parseStoreFlags(ctx, e, "stores set-webhook-secret", "stores set-webhook-secret --workspace W --domain X.myshopify.com < secret.txt", args)
	if err != nil {
		return err
	}
	defer a.Close()
	secret, err := readSecretLine(e.stdin)
	if err != nil {
		return fmt.Errorf("read the webhook secret from stdin: %w", err)
	}
	if secret == "" {
		return errors.New("no secret on stdin: paste the webhook signing secret shown in Shopify Admin under Settings → Notifications → Webhooks")
	}
	if err := a.DB.SetWebhookSecret(ctx, s.WorkspaceID, s.ID, domain.NewSecret(secret)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Saved the webhook signing secret of %s. Its webhooks to %s are verified with it, and the stores page shows it as working once the first delivery does.\n", s.Domain, webhooks.Path)
	return nil
}

// storesSubscribeWebhooks asks Shopify to deliver a store's webhooks to
// SHOPCARD_PUBLIC_URL, and shows how each topic went. An expiring token is
// renewed first, as the admin console's button does.
func storesSubscribeWebhooks(ctx context.Context, e env, args []string) error {
	a, s, err := parseStoreFlags(ctx, e, "stores subscribe-webhooks", "stores subscribe-webhooks --workspace W --domain X.myshopify.com", args)
	if err != nil {
		return err
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if a.Config.PublicURL == "" {
		return domain.Errorf(domain.KindInvalid, "Set SHOPCARD_PUBLIC_URL to the https address Shopify can reach shopcard at, so it can deliver webhooks.")
	}
	s, err = a.Keeper.Fresh(ctx, s)
	if err != nil {
		return err
	}
	subs, err := webhooks.Subscribe(ctx, a.Shopify, a.DB, s, a.Config.PublicURL)
	if len(subs) > 0 {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TOPIC\tSTATUS\tERROR")
		for _, sub := range subs {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", sub.Topic, sub.Status, sub.LastError)
		}
		tw.Flush()
	}
	return err
}
