package cli

import (
	"context"
	"errors"
	"flag"
	"strings"

	"shopcard/config"
	"shopcard/domain"
	"shopcard/internal/app"
	"shopcard/logging"
)

// loadConfig reads the configuration, with --db overriding SHOPCARD_DB.
func loadConfig(e env, dbFlag string) (config.Config, error) {
	return config.Load(e.getenv, dbFlag)
}

// open builds the application for a command, logging to the command's
// stderr. The caller closes it.
func open(ctx context.Context, e env, dbPath string) (*app.App, error) {
	cfg, err := loadConfig(e, dbPath)
	if err != nil {
		return nil, err
	}
	return app.New(ctx, cfg, app.Options{Logger: logging.New(e.stderr, cfg.LogLevel, cfg.LogFormat)})
}

// openWorkspace opens the application and finds a workspace by name.
func openWorkspace(ctx context.Context, e env, dbPath, wsName string) (*app.App, domain.Workspace, error) {
	if wsName == "" {
		return nil, domain.Workspace{}, errors.New("--workspace is required")
	}
	a, err := open(ctx, e, dbPath)
	if err != nil {
		return nil, domain.Workspace{}, err
	}
	ws, err := a.DB.WorkspaceByName(ctx, wsName)
	if err != nil {
		a.Close()
		return nil, domain.Workspace{}, err
	}
	return a, ws, nil
}

// openStore opens the application and finds a workspace's store, for the
// stores subcommands that act on one.
func openStore(ctx context.Context, e env, dbPath, wsName, shop string) (*app.App, domain.Store, error) {
	if wsName == "" || shop == "" {
		return nil, domain.Store{}, errors.New("--workspace and --domain are required")
	}
	a, ws, err := openWorkspace(ctx, e, dbPath, wsName)
	if err != nil {
		return nil, domain.Store{}, err
	}
	s, err := a.DB.StoreByDomain(ctx, ws.ID, strings.ToLower(strings.TrimSpace(shop)))
	if err != nil {
		a.Close()
		return nil, domain.Store{}, err
	}
	return a, s, nil
}

// parseStoreFlags parses --workspace, --domain and --db, and opens the
// store they name. The caller closes the application.
func parseStoreFlags(ctx context.Context, e env, name, synopsis string, args []string) (*app.App, domain.Store, error) {
	fs := newFlags(e, name, synopsis)
	wf := workspaceFlags(fs)
	shop := fs.String("domain", "", "the store's myshopify.com domain")
	if _, err := parseFlags(fs, args); err != nil {
		return nil, domain.Store{}, err
	}
	return openStore(ctx, e, *wf.db, *wf.workspace, *shop)
}

// dbFlag adds --db, the SQLite file a command opens.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "SQLite database path (default $SHOPCARD_DB or shopcard.db; SHOPCARD_DATABASE_URL selects PostgreSQL instead)")
}

// workspaceArgs are the --workspace and --db flags of a command that acts
// on one workspace.
type workspaceArgs struct{ workspace, db *string }

func workspaceFlags(fs *flag.FlagSet) workspaceArgs {
	return workspaceArgs{workspace: fs.String("workspace", "", "workspace name"), db: dbFlag(fs)}
}

// open opens the application and finds the workspace. The caller closes
// the application.
func (w workspaceArgs) open(ctx context.Context, e env) (*app.App, domain.Workspace, error) {
	return openWorkspace(ctx, e, *w.db, *w.workspace)
}
