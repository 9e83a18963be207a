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
	if len(args) == 0 {
		return errors.New("usage: shopcard " + synopsis)
	}
	switch args[0] {
	case "create":
		return adminCreate(ctx, e, args[1:])
	case "password":
		return adminPassword(ctx, e, args[1:])
	case "-h", "--help":
		fmt.Fprintln(e.stdout, "Usage: shopcard "+synopsis)
		return nil
	}
	return fmt.Errorf("unknown admin command %q; usage: shopcard %s", args[0], synopsis)
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
	wsName := fs.String("workspace", "", "workspace name")
	email := fs.String("email", "", "the admin's email address; they sign in with it")
	db := fs.String("db", "", "SQLite database path")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *wsName == "" || *email == "" {
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
	a, ws, err := openWorkspace(ctx, e, *db, *wsName)
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
	db := fs.String("db", "", "SQLite database path")
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
