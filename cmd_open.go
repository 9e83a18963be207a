package main

import (
	"context"
	"errors"
	"strings"

	"shopcard/config"
	"shopcard/domain"
	"shopcard/sqlite"
)

// openCLI reads the configuration and opens the database, for commands that
// act on it directly. The caller closes the database.
func openCLI(ctx context.Context, e env, dbPath string) (config.Config, *sqlite.DB, error) {
	cfg, logger, err := loadConfig(e, dbPath)
	if err != nil {
		return config.Config{}, nil, err
	}
	d, err := openDB(ctx, cfg, logger)
	if err != nil {
		return config.Config{}, nil, err
	}
	return cfg, d, nil
}

// openWorkspace opens the database and finds a workspace by name.
func openWorkspace(ctx context.Context, e env, dbPath, wsName string) (config.Config, *sqlite.DB, domain.Workspace, error) {
	if wsName == "" {
		return config.Config{}, nil, domain.Workspace{}, errors.New("--workspace is required")
	}
	cfg, d, err := openCLI(ctx, e, dbPath)
	if err != nil {
		return config.Config{}, nil, domain.Workspace{}, err
	}
	ws, err := d.WorkspaceByName(ctx, wsName)
	if err != nil {
		d.Close()
		return config.Config{}, nil, domain.Workspace{}, err
	}
	return cfg, d, ws, nil
}

// openStore opens the database and finds a workspace's store, for the
// stores subcommands that act on one.
func openStore(ctx context.Context, e env, dbPath, wsName, shop string) (config.Config, *sqlite.DB, domain.Store, error) {
	if wsName == "" || shop == "" {
		return config.Config{}, nil, domain.Store{}, errors.New("--workspace and --domain are required")
	}
	cfg, d, ws, err := openWorkspace(ctx, e, dbPath, wsName)
	if err != nil {
		return config.Config{}, nil, domain.Store{}, err
	}
	s, err := d.StoreByDomain(ctx, ws.ID, strings.ToLower(strings.TrimSpace(shop)))
	if err != nil {
		d.Close()
		return config.Config{}, nil, domain.Store{}, err
	}
	return cfg, d, s, nil
}

// parseStoreFlags parses --workspace, --domain and --db, and opens the
// store they name. The caller closes the database.
func parseStoreFlags(ctx context.Context, e env, name, synopsis string, args []string) (config.Config, *sqlite.DB, domain.Store, error) {
	fs := newFlags(e, name, synopsis)
	wsName := fs.String("workspace", "", "workspace name")
	shop := fs.String("domain", "", "the store's myshopify.com domain")
	db := fs.String("db", "", "SQLite database path")
	if _, err := parseFlags(fs, args); err != nil {
		return config.Config{}, nil, domain.Store{}, err
	}
	return openStore(ctx, e, *db, *wsName, *shop)
}
