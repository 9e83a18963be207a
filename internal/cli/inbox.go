package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"shopcard/config"
	"shopcard/domain"
	"shopcard/inbox"
	"shopcard/inbox/zendesk"
	"shopcard/internal/app"
)

func cmdInbox(ctx context.Context, e env, args []string) error {
	const synopsis = "inbox add --workspace W --kind chatwoot|helpscout|front|zendesk [kind flags]   (reads secrets from stdin, one per line)\n" +
		"       shopcard inbox list --workspace W\n" +
		"       shopcard inbox remove --workspace W --install ID\n" +
		"       shopcard inbox zendesk-key --workspace W --install ID --app-installation-id N < public_key.pem"
	return runGroup(ctx, e, "inbox", synopsis, args, map[string]subcommand{
		"add":         inboxAdd,
		"list":        inboxList,
		"remove":      inboxRemove,
		"zendesk-key": inboxZendeskKey,
	})
}

// publicBase is where helpdesks reach shopcard.
func publicBase(a *app.App) (string, error) {
	if a.Config.PublicURL == "" {
		return "", errors.New("set SHOPCARD_PUBLIC_URL to the https address helpdesks reach shopcard at; the app URLs are built from it")
	}
	return strings.TrimRight(a.Config.PublicURL, "/"), nil
}

// readSecretLines reads n lines from stdin, the secrets a kind needs, in
// the order the help says.
func readSecretLines(r io.Reader, names ...string) ([]string, error) {
	sc := bufio.NewScanner(io.LimitReader(r, 64<<10))
	var out []string
	for _, n := range names {
		if !sc.Scan() {
			return nil, fmt.Errorf("stdin ended before the %s (give one secret per line: %s)", n, strings.Join(names, ", "))
		}
		v := strings.TrimSpace(sc.Text())
		if v == "" {
			return nil, fmt.Errorf("the %s on stdin is empty", n)
		}
		out = append(out, v)
	}
	return out, nil
}

func inboxAdd(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "inbox add", "inbox add --workspace W --kind K [flags] < secrets.txt")
	wf := workspaceFlags(fs)
	kindName := fs.String("kind", "", "chatwoot, helpscout, front or zendesk")
	label := fs.String("label", "", "a name to tell installations apart")
	baseURL := fs.String("url", "", "chatwoot: the Chatwoot URL (https://chat.example.com); zendesk: https://SUBDOMAIN.zendesk.com; helpscout, front: the API URL (tests only)")
	account := fs.Int64("account", 0, "chatwoot: the account id (in the dashboard's address, /app/accounts/ID/…)")
	clientID := fs.String("client-id", "", "helpscout: the OAuth app's App ID, for the Inbox API")
	email := fs.String("email", "", "zendesk: the email of the user the API token belongs to")
	appInstallation := fs.Int64("app-installation-id", 0, "zendesk: the app installation's id (after uploading the package)")
	keyFile := fs.String("public-key-file", "", "zendesk: the app's public key, PEM (after uploading the package)")
	pkg := fs.String("package", "shopcard-zendesk.zip", "zendesk: where to write the app package")
	origins := fs.String("frame-origins", "", "more origins allowed to frame the app, besides the helpdesk's own")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	kind, err := inbox.ParseKind(*kindName)
	if err != nil {
		return err
	}
	extra, err := config.ValidateFrameAncestors(*origins)
	if err != nil {
		return fmt.Errorf("--frame-origins: %w", err)
	}
	s := inbox.Settings{}
	if *baseURL != "" {
		if s.BaseURL, err = inbox.ValidateBaseURL(*baseURL); err != nil {
			return err
		}
	}
	var secrets []string
	switch kind {
	case inbox.Chatwoot:
		if s.BaseURL == "" || *account <= 0 {
			return errors.New("chatwoot needs --url and --account")
		}
		s.AccountID = *account
		if secrets, err = readSecretLines(e.stdin, "API access token"); err != nil {
			return err
		}
		s.APIToken = domain.NewSecret(secrets[0])
	case inbox.HelpScout:
		if *clientID == "" {
			return errors.New("helpscout needs --client-id (the OAuth app's App ID)")
		}
		s.ClientID = *clientID
		if secrets, err = readSecretLines(e.stdin, "app's secret key", "OAuth app's App Secret"); err != nil {
			return err
		}
		s.SigningSecret, s.ClientSecret = domain.NewSecret(secrets[0]), domain.NewSecret(secrets[1])
	case inbox.Front:
		if secrets, err = readSecretLines(e.stdin, "auth secret", "API token"); err != nil {
			return err
		}
		s.AuthSecret, s.APIToken = domain.NewSecret(secrets[0]), domain.NewSecret(secrets[1])
	case inbox.Zendesk:
		if s.BaseURL == "" || *email == "" {
			return errors.New("zendesk needs --url https://SUBDOMAIN.zendesk.com and --email")
		}
		s.APIEmail = strings.TrimSpace(*email)
		if secrets, err = readSecretLines(e.stdin, "API token"); err != nil {
			return err
		}
		s.APIToken = domain.NewSecret(secrets[0])
		if *keyFile != "" || *appInstallation != 0 {
			if s.PublicKeyPEM, s.AppInstallationID, err = zendeskKey(*keyFile, *appInstallation); err != nil {
				return err
			}
		}
	}
	a, ws, err := wf.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	base, err := publicBase(a)
	if err != nil {
		return err
	}
	inst, err := a.DB.CreateInstallation(ctx, inbox.Installation{WorkspaceID: ws.ID, Kind: kind, Label: *label, Settings: s, FrameOrigins: extra})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Installed shopcard in %s for workspace %q: installation %s (logs name it %s).\n", kind.Title(), ws.Name, inst.ID, inbox.Handle(inst.ID))
	switch kind {
	case inbox.Chatwoot:
		fmt.Fprintf(e.stdout, "In Chatwoot: Settings → Integrations → Dashboard Apps → Add a new dashboard app, name it Shopify, and paste this URL:\n\n  %s\n", AppURL(base, inst))
	case inbox.HelpScout:
		fmt.Fprintf(e.stdout, "In Help Scout: Manage → Apps → Create App; paste this Callback URL, the same secret key, and pick the mailboxes:\n\n  %s\n", AppURL(base, inst))
	case inbox.Front:
		fmt.Fprintf(e.stdout, "In Front: Settings → Developers → your app → Features → Add plugin (sidebar), and paste this URL (Front adds auth_secret itself):\n\n  %s\n", AppURL(base, inst))
	case inbox.Zendesk:
		zip, err := zendesk.Package(base, inst.ID, s.APIEmail)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*pkg, zip, 0o644); err != nil {
			return fmt.Errorf("write the app package: %w", err)
		}
		fmt.Fprintf(e.stdout, "Wrote %s. In Zendesk: Admin Center → Apps and integrations → Zendesk Support apps → Upload private app, upload it and install it.\n", *pkg)
		if s.PublicKeyPEM == "" {
			fmt.Fprintf(e.stdout, "Then give shopcard the app's public key (GET /api/v2/apps/APP_ID/public_key.pem) and the installation's id:\n\n  shopcard inbox zendesk-key --workspace %s --install %s --app-installation-id N < public_key.pem\n", ws.Name, inst.ID)
		}
	}
	fmt.Fprintf(e.stdout, "\nIt may be framed by: %s\n", strings.Join(inst.Ancestors(), " "))
	return nil
}

// AppURL is the address an admin pastes into the helpdesk.
func AppURL(base string, inst inbox.Installation) string {
	switch inst.Kind {
	case inbox.Zendesk:
		return zendesk.AppURL(base, inst.ID)
	case inbox.Front:
		return base + "/apps/front?install=" + inst.ID
	case inbox.HelpScout:
		return base + "/apps/helpscout?install=" + inst.ID
	}
	return base + "/apps/chatwoot?install=" + inst.ID
}

// zendeskKey reads and checks the app's public key.
func zendeskKey(path string, id int64) (string, int64, error) {
	if path == "" || id <= 0 {
		return "", 0, errors.New("give both --public-key-file and --app-installation-id")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", 0, err
	}
	if _, err := zendesk.ParsePublicKey(string(b)); err != nil {
		return "", 0, err
	}
	return string(b), id, nil
}

func inboxZendeskKey(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "inbox zendesk-key", "inbox zendesk-key --workspace W --install ID --app-installation-id N < public_key.pem")
	wf := workspaceFlags(fs)
	id := fs.String("install", "", "the installation's ID")
	appInstallation := fs.Int64("app-installation-id", 0, "the Zendesk app installation's id")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	b, err := io.ReadAll(io.LimitReader(e.stdin, 16<<10))
	if err != nil {
		return err
	}
	if _, err := zendesk.ParsePublicKey(string(b)); err != nil {
		return err
	}
	if *appInstallation <= 0 {
		return errors.New("--app-installation-id is required")
	}
	a, ws, err := wf.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	inst, err := a.DB.WorkspaceInstallation(ctx, ws.ID, *id)
	if err != nil {
		return err
	}
	if inst.Kind != inbox.Zendesk {
		return fmt.Errorf("installation %s is a %s installation", *id, inst.Kind.Title())
	}
	inst.Settings.PublicKeyPEM, inst.Settings.AppInstallationID = string(b), *appInstallation
	if err := a.DB.UpdateInstallationSettings(ctx, ws.ID, inst.ID, inst.Settings); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Saved the public key of Zendesk app installation %d; tokens must name %s.\n", *appInstallation, zendesk.Audience(inst.Settings.BaseURL, *appInstallation))
	return nil
}

func inboxList(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "inbox list", "inbox list --workspace W")
	wf := workspaceFlags(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	a, ws, err := wf.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := a.DB.InstallationsByWorkspace(ctx, ws.ID)
	if err != nil {
		return err
	}
	base := strings.TrimRight(a.Config.PublicURL, "/")
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tLABEL\tINSTALLATION\tLOG HANDLE\tURL")
	for _, inst := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", inst.Kind, inst.Label, inst.ID, inbox.Handle(inst.ID), AppURL(base, inst))
	}
	return tw.Flush()
}

func inboxRemove(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "inbox remove", "inbox remove --workspace W --install ID")
	wf := workspaceFlags(fs)
	id := fs.String("install", "", "the installation's ID")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	a, ws, err := wf.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.DB.RemoveInstallation(ctx, ws.ID, *id); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Removed installation %s; its URL stops working now. Remove the app from the helpdesk too.\n", *id)
	return nil
}
