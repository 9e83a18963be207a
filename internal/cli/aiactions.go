package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"shopcard/ai"
	"shopcard/domain"
)

func cmdAPIKey(ctx context.Context, e env, args []string) error {
	const synopsis = "api-key create --workspace W [--name N]   (prints the key once)\n       shopcard api-key list --workspace W\n       shopcard api-key revoke --workspace W --id N"
	return runGroup(ctx, e, "api-key", synopsis, args, map[string]subcommand{
		"create": apiKeyCreate,
		"list":   apiKeyList,
		"revoke": apiKeyRevoke,
	})
}

func apiKeyCreate(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "api-key create", "api-key create --workspace W [--name N]")
	wf := workspaceFlags(fs)
	name := fs.String("name", "", "what the key is for, such as the agent that uses it")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	a, ws, err := wf.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	key, k, err := ai.NewAPIKey(ctx, a.DB, ws.ID, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Created API key %d (%q) for workspace %q. It is shown only now; shopcard keeps only its hash:\n\n%s\n\n", k.ID, k.Name, ws.Name, key)
	fmt.Fprintln(e.stdout, "Agents send it as Authorization: Bearer <key> to the MCP server at /mcp or to the JSON API at /api/v1/tools/{tool}.")
	return nil
}

func apiKeyList(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "api-key list", "api-key list --workspace W")
	wf := workspaceFlags(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	a, ws, err := wf.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	keys, err := a.DB.APIKeys(ctx, ws.ID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tKEY\tCREATED\tLAST USED\tSTATUS")
	for _, k := range keys {
		status := "active"
		if k.Revoked() {
			status = "revoked " + dateOf(k.RevokedAt)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s…\t%s\t%s\t%s\n", k.ID, k.Name, k.Prefix, dateOf(k.CreatedAt), dateOf(k.LastUsedAt), status)
	}
	return tw.Flush()
}

func apiKeyRevoke(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "api-key revoke", "api-key revoke --workspace W --id N")
	wf := workspaceFlags(fs)
	id := fs.Int64("id", 0, "the key's ID, from api-key list")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *id <= 0 {
		return errors.New("--workspace and --id are required")
	}
	a, ws, err := wf.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	k, err := a.DB.RevokeAPIKey(ctx, ws.ID, *id)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Revoked API key %d (%q) of workspace %q: it no longer opens anything.\n", k.ID, k.Name, ws.Name)
	return nil
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func cmdAIActions(ctx context.Context, e env, args []string) error {
	const synopsis = "ai-actions list --workspace W\n       shopcard ai-actions set --workspace W --tool T --enabled=false"
	return runGroup(ctx, e, "ai-actions", synopsis, args, map[string]subcommand{
		"list": aiActionsList,
		"set":  aiActionsSet,
	})
}

func aiActionsList(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "ai-actions list", "ai-actions list --workspace W")
	wf := workspaceFlags(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	a, ws, err := wf.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	statuses, err := a.AI.Statuses(ctx, ws.ID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TOOL\tSWITCH\tAGENTS SEE IT\tNOTE")
	for _, st := range statuses {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", st.Tool.Name, onOff(st.Enabled), yesNo(st.Available), statusNote(st))
	}
	return tw.Flush()
}

// statusNote says why a tool is unavailable, or which stores it leaves
// out for want of its scope.
func statusNote(st ai.Status) string {
	note := st.Reason
	if st.Tool.Scope != "" && len(st.Missing) > 0 {
		var domains []string
		for _, s := range st.Missing {
			domains = append(domains, s.Domain)
		}
		note = strings.TrimSpace(note + " Without " + st.Tool.Scope + ": " + strings.Join(domains, ", ") + ".")
	}
	return note
}

func aiActionsSet(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "ai-actions set", "ai-actions set --workspace W --tool T --enabled=false")
	wf := workspaceFlags(fs)
	tool := fs.String("tool", "", "the tool: "+strings.Join(toolNames(), ", "))
	enabled := fs.String("enabled", "", "true to switch the tool on, false to switch it off")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if !ai.IsTool(*tool) {
		return domain.Errorf(domain.KindInvalid, "--tool must be one of %s.", strings.Join(toolNames(), ", "))
	}
	on, err := strconv.ParseBool(*enabled)
	if err != nil {
		return domain.Errorf(domain.KindInvalid, "--enabled must be true or false.")
	}
	a, ws, err := wf.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.DB.SetAIToolEnabled(ctx, ws.ID, *tool, on); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s is now switched %s for workspace %q.\n", *tool, onOff(on), ws.Name)
	return nil
}

func toolNames() []string {
	var names []string
	for _, t := range ai.Tools() {
		names = append(names, t.Name)
	}
	return names
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
