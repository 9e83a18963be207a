package cli

import (
	"context"

	"shopcard/internal/devmode"
)

// cmdDev runs designer mode (internal/devmode), configured by templ.config.
func cmdDev(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "dev", "dev [--config templ.config] [--reset]")
	configPath := fs.String("config", "templ.config", "the dev settings file")
	reset := fs.Bool("reset", false, "delete the dev database (dev_db in the settings file) and its key first, for a fresh demo")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	return devmode.Run(ctx, devmode.Options{
		ConfigPath: *configPath,
		Reset:      *reset,
		Getenv:     e.getenv,
		Stdout:     e.stdout,
		Stderr:     e.stderr,
	})
}
