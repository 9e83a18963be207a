package cli

import (
	"context"
	"errors"
	"fmt"

	"shopcard/auth"
	"shopcard/domain"
)

func cmdAdmin(ctx context.Context, e env, args []string) error {
	const synopsis = "admin create --workspace W --email E   (reads the password from stdin)\n       shopcard admin password --email E        (reads the new password from stdin)"
	return runGroup(ctx, e, "admin", synopsis, args, map[string]subcommand{
		"create":   adminCreate,
		"password": adminPassword,
	})
}

// readPassword reads a password from stdin and hashes it.
func readPassword(e env) (string, error) {
	pw, err := readSecretLine(e.stdin)
	if err != nil {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	return auth.HashPassword(pw)
}

func adminCreate(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "admin create", "admin create --workspace W --email E < password.txt")
	wf := workspaceFlags(fs)
	email := fs.String("email", "", "the admin's email address; they sign in with it")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *wf.workspace == "" || *email == "" {
		return errors.New("--workspace and --email are required")
	}
	addr, err := domain.NormalizeEmail(*email)
	if err != nil {
		return err
	}
	hash, err := readPassword(e)
	if err != nil {
		return err
	}
	a, ws, err := wf.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := a.DB.CreateAdmin(ctx, ws.ID, addr, hash); err != nil {
		return err
	}
	where := "/admin/signin on the server"
	if a.Config.PublicURL != "" {
		where = a.Config.PublicURL + "/admin/signin"
	}
	fmt.Fprintf(e.stdout, "Created admin %s in workspace %q. Sign in at %s.\n", addr, ws.Name, where)
	return nil
}

func adminPassword(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "admin password", "admin password --email E < password.txt")
	email := fs.String("email", "", "the admin's email address")
	db := dbFlag(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("--email is required")
	}
	addr, err := domain.NormalizeEmail(*email)
	if err != nil {
		return err
	}
	hash, err := readPassword(e)
	if err != nil {
		return err
	}
	a, err := open(ctx, e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	admin, err := a.DB.AdminByEmail(ctx, addr)
	if err != nil {
		return err
	}
	if err := a.DB.SetAdminPassword(ctx, admin.ID, hash); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Changed the password of %s and signed them out everywhere.\n", addr)
	return nil
}
