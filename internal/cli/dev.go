package cli

import (
	"context"

	"shopcard/internal/devmode"
)

// cmdDev runs designer mode (internal/devmode), configured by templ.config.
func cmdDev(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "dev", "dev [--config templ.config]")
	configPath := fs.String("config", "templ.config", "the dev settings file")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	return devmode.Run(ctx, *configPath, e.stdout, e.stderr)
}
