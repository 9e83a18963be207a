package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"shopcard/internal/app"
	"shopcard/logging"
	"shopcard/postgres"
)

func cmdDB(ctx context.Context, e env, args []string) error {
	const synopsis = "db copy --from shopcard.db --to postgres://user:password@host:5432/shopcard   (moves an install from SQLite to an empty PostgreSQL database)"
	return runGroup(ctx, e, "db", synopsis, args, map[string]subcommand{
		"copy": dbCopy,
	})
}

// dbCopy moves an install from SQLite to PostgreSQL.
func dbCopy(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "db copy", "db copy --from shopcard.db --to postgres://user:password@host:5432/shopcard")
	from := fs.String("from", "", "the SQLite database to copy (its key: SHOPCARD_SECRET_KEY, or SHOPCARD_SECRET_KEY_FILE, by default <from>.key)")
	to := fs.String("to", "", "the empty PostgreSQL database to copy into")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return errors.New("--from (a SQLite database file) and --to (a PostgreSQL URL) are required")
	}
	if !postgres.IsURL(*to) {
		return errors.New("--to must be a PostgreSQL URL: postgres://user:password@host:5432/database")
	}
	if _, err := os.Stat(*from); err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	// The key comes from the environment as for serve, with SHOPCARD_DB
	// standing for --from (its default key file is beside it); the
	// target's own variables do not apply here.
	getenv := func(k string) string {
		if k == "SHOPCARD_DATABASE_URL" || k == "SHOPCARD_DATABASE_LISTEN_URL" {
			return ""
		}
		return e.getenv(k)
	}
	cfg, err := loadConfig(env{getenv: getenv, stdin: e.stdin, stdout: e.stdout, stderr: e.stderr}, *from)
	if err != nil {
		return err
	}
	logger := logging.New(e.stderr, cfg.LogLevel, cfg.LogFormat)
	src, box, err := app.OpenSQLite(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer src.Close()
	snapshot, err := src.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snapshot.Rollback()
	counts, err := postgres.CopyFrom(ctx, snapshot, *to, box)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tSQLITE\tPOSTGRESQL")
	for _, c := range counts {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", c.Table, c.Source, c.Target)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "\nCopied %s into %s; every count matches and every secret opens with the same key.\n"+
		"Start shopcard with SHOPCARD_DATABASE_URL set to it and the same SHOPCARD_SECRET_KEY (or key file).\n", *from, postgres.Redact(*to))
	return nil
}
