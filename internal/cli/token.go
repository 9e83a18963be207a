package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"shopcard/domain"
	"shopcard/embedtoken"
)

func cmdToken(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "token", "token --workspace W --email E [--name N] [--ttl 15m]")
	wf := workspaceFlags(fs)
	email := fs.String("email", "", "the contact's email address")
	name := fs.String("name", "", "the contact's name (optional)")
	ttl := fs.Duration("ttl", 15*time.Minute, "how long the token is valid")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *wf.workspace == "" || *email == "" {
		return errors.New("--workspace and --email are required")
	}
	if *ttl <= 0 {
		return errors.New("--ttl must be positive")
	}
	if _, err := domain.NormalizeEmail(*email); err != nil {
		return err
	}
	a, ws, err := wf.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	if *ttl > a.Config.TokenMaxLife {
		return fmt.Errorf("--ttl %v is longer than tokens may live (SHOPCARD_TOKEN_MAX_LIFETIME, %v): the sidebar would refuse the token", *ttl, a.Config.TokenMaxLife)
	}
	tok, err := embedtoken.Sign(ws.EmbedSecret, embedtoken.Claims{Workspace: ws.Name, Email: *email, Name: *name}, time.Now(), *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, tok)
	return nil
}
