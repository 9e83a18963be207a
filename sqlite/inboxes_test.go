package sqlite

import (
	"context"
	"os"
	"strings"
	"testing"

	"shopcard/domain"
	"shopcard/inbox"
)

func TestInstallations(t *testing.T) {
	ctx := context.Background()
	db, path := openTestDB(t)
	acme, err := db.CreateWorkspace(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	rival, err := db.CreateWorkspace(ctx, "rival")
	if err != nil {
		t.Fatal(err)
	}
	const token = "chatwoot-api-token-never-on-disk"
	inst, err := db.CreateInstallation(ctx, inbox.Installation{
		WorkspaceID: acme.ID, Kind: inbox.Chatwoot, Label: "support",
		Settings:     inbox.Settings{BaseURL: "https://chat.acme.example", AccountID: 7, APIToken: domain.NewSecret(token)},
		FrameOrigins: []string{"http://127.0.0.1:9999"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !inbox.ValidID(inst.ID) {
		t.Fatalf("installation ID %q has not the ID's shape", inst.ID)
	}
	got, err := db.InstallationByID(ctx, inst.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Settings.APIToken.Reveal() != token || got.Settings.AccountID != 7 || got.Kind != inbox.Chatwoot || got.Label != "support" ||
		strings.Join(got.FrameOrigins, " ") != "http://127.0.0.1:9999" || got.WorkspaceID != acme.ID {
		t.Errorf("read back %+v", got)
	}
	// Sealed at rest: the token is nowhere in the database file.
	db.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), token) {
		t.Error("the API token is stored in plain text")
	}

	// Another workspace neither finds, changes nor removes it.
	if _, err := db.WorkspaceInstallation(ctx, rival.ID, inst.ID); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("rival found it: %v", err)
	}
	if err := db.UpdateInstallationSettings(ctx, rival.ID, inst.ID, inbox.Settings{}); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("rival changed it: %v", err)
	}
	if err := db.RemoveInstallation(ctx, rival.ID, inst.ID); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("rival removed it: %v", err)
	}
	list, err := db.InstallationsByWorkspace(ctx, rival.ID)
	if err != nil || len(list) != 0 {
		t.Errorf("rival lists %d installations (%v)", len(list), err)
	}

	// Its own workspace changes and removes it.
	next := got.Settings
	next.PublicKeyPEM = "pem"
	if err := db.UpdateInstallationSettings(ctx, acme.ID, inst.ID, next); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.InstallationByID(ctx, inst.ID); got.Settings.PublicKeyPEM != "pem" || got.Settings.APIToken.Reveal() != token {
		t.Errorf("after update: %+v", got.Settings)
	}
	if err := db.RemoveInstallation(ctx, acme.ID, inst.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.InstallationByID(ctx, inst.ID); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("after removal: %v", err)
	}
}
