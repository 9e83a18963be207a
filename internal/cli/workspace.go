package cli

import (
	"context"
	"errors"
	"fmt"
)

func cmdWorkspace(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(e.stdout, "Usage: shopcard workspace create NAME [--db shopcard.db]")
			return nil
		}
		return errors.New("usage: shopcard workspace create NAME [--db shopcard.db]")
	}
	fs := newFlags(e, "workspace create", "workspace create NAME [--db shopcard.db]")
	db := dbFlag(fs)
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: shopcard workspace create NAME")
	}
	a, err := open(ctx, e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	ws, err := a.DB.CreateWorkspace(ctx, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Created workspace %q.\n\nEmbed secret (shown only this once; your inbox integration signs sidebar tokens with it):\n\n  %s\n\n", ws.Name, ws.EmbedSecret.Reveal())
	return nil
}
