package cli

import (
	"context"
	"fmt"
	"log/slog"

	"shopcard/internal/app"
)

func cmdServe(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "serve", "serve [--addr 127.0.0.1:8080] [--db shopcard.db]")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	db := fs.String("db", "", "SQLite database path (default $SHOPCARD_DB or shopcard.db)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := open(ctx, e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := app.Listen(*addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	a.Logger.Info("listening", slog.String("url", url))
	fmt.Fprintf(e.stdout, "shopcard listening on %s\n", url)
	return a.Serve(ctx, ln, e.stdout)
}
