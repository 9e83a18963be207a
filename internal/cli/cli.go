// Package cli is shopcard's command line: every subcommand, its flags and
// what it prints. Commands that need the application get it from app.New.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"shopcard/domain"
)

// env is what every subcommand gets from the outside world. Nothing reads
// the process environment or standard streams directly, so tests can run
// subcommands in parallel with their own settings.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

// commands lists every subcommand; "stores", "workspace" and "admin" have
// their own.
func commands() map[string]command {
	return map[string]command{
		"serve":      {"Run the server.", cmdServe},
		"demo":       {"Run the server with a fake Shopify and an inbox simulator (start here).", cmdDemo},
		"workspace":  {"Create a workspace (workspace create NAME).", cmdWorkspace},
		"stores":     {"Connect, list and remove Shopify stores, and set up their webhooks (stores add|list|remove|set-webhook-secret|subscribe-webhooks).", cmdStores},
		"inbox":      {"Install shopcard in Chatwoot, Help Scout, Front or Zendesk (inbox add|list|remove|zendesk-key).", cmdInbox},
		"admin":      {"Create admin console accounts and reset passwords (admin create|password).", cmdAdmin},
		"token":      {"Print an embed token for a contact, for integrators and tests.", cmdToken},
		"api-key":    {"Create, list and revoke a workspace's keys for the MCP server and the JSON API (api-key create|list|revoke).", cmdAPIKey},
		"ai-actions": {"List and switch a workspace's AI actions on or off (ai-actions list|set).", cmdAIActions},
		"db":         {"Move an install from SQLite to PostgreSQL (db copy --from shopcard.db --to postgres://…).", cmdDB},
		"dev":        {"Designer mode: live-reloading templ, Tailwind and server (reads templ.config).", cmdDev},
		"loadtest":   {"Measure the sidebar's hot paths against the performance budgets, in-process on loopback.", cmdLoadtest},
	}
}

// Run is the whole program: main only calls it, through run.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	cmds := commands()
	if len(args) < 2 || args[1] == "-h" || args[1] == "--help" || args[1] == "help" {
		usage(stdout, cmds)
		if len(args) < 2 {
			return errors.New("no command given")
		}
		return nil
	}
	cmd, ok := cmds[args[1]]
	if !ok {
		usage(stderr, cmds)
		return fmt.Errorf("unknown command %q", args[1])
	}
	err := cmd.run(ctx, e, args[2:])
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return said(err)
}

// saidError is an error as the operator reads it: the safe message of a
// domain error, which says what happened and what to do, without the
// context the storage and Shopify layers wrap it in for logs.
type saidError struct {
	message string
	err     error
}

func (e *saidError) Error() string { return e.message }
func (e *saidError) Unwrap() error { return e.err }

func said(err error) error {
	if m := domain.MessageOf(err); m != "" && domain.KindOf(err) != domain.KindInternal {
		return &saidError{message: m, err: err}
	}
	return err
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "Usage: shopcard <command> [flags]\n\nCommands:")
	for _, n := range names {
		fmt.Fprintf(w, "  %-11s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'shopcard <command> --help' for a command's flags. Configuration comes from SHOPCARD_* environment variables; see README.md.")
}

// newFlags makes a flag set that prints its usage to the command's stdout on
// --help and reports errors without exiting.
func newFlags(e env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fs.SetOutput(e.stdout)
		fmt.Fprintf(e.stdout, "Usage: shopcard %s\n\n", synopsis)
		fs.PrintDefaults()
		fs.SetOutput(e.stderr)
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// readSecretLine reads one line (a token or password) from stdin.
func readSecretLine(r io.Reader) (string, error) {
	var b strings.Builder
	buf := make([]byte, 1)
	for b.Len() < 4096 {
		n, err := r.Read(buf)
		if n > 0 {
			if buf[0] == '\n' {
				break
			}
			b.WriteByte(buf[0])
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return strings.TrimSpace(b.String()), nil
}

// subcommand runs one word of a command group, such as "stores add".
type subcommand func(ctx context.Context, e env, args []string) error

// runGroup runs the subcommand args[0] names among subs, or prints the
// group's synopsis for -h and --help.
func runGroup(ctx context.Context, e env, group, synopsis string, args []string, subs map[string]subcommand) error {
	if len(args) == 0 {
		return errors.New("usage: shopcard " + synopsis)
	}
	if run, ok := subs[args[0]]; ok {
		return run(ctx, e, args[1:])
	}
	if args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stdout, "Usage: shopcard "+synopsis)
		return nil
	}
	return fmt.Errorf("unknown %s command %q; usage: shopcard %s", group, args[0], synopsis)
}
