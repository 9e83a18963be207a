// Package session turns a helpdesk's verified contact into the sidebar's
// own session: after an adapter (inbox/chatwoot, inbox/helpscout,
// inbox/front, inbox/zendesk) has learnt from the helpdesk's API who a
// conversation is with, the service mints a short-lived embed token for
// that contact and the installation's workspace, the same token an inbox's
// own server would mint, so the existing sidebar, its store fragments and
// its cache do the rest.
package session

import (
	"context"
	"log/slog"
	"time"

	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/inbox"
)

// TokenTTL is how long a sidebar opened from a helpdesk lasts: as long as
// the README advises inboxes to make theirs.
const TokenTTL = 15 * time.Minute

// Installations finds installations.
type Installations interface {
	InstallationByID(ctx context.Context, id string) (inbox.Installation, error)
}

// Workspaces finds an installation's workspace.
type Workspaces interface {
	WorkspaceByID(ctx context.Context, id int64) (domain.Workspace, error)
}

// Service verifies helpdesk requests and opens sidebars for them.
type Service struct {
	Installations Installations
	Workspaces    Workspaces
	Adapters      map[inbox.Kind]inbox.Adapter
	Limiter       *inbox.Limiter
	Logger        *slog.Logger
	Now           func() time.Time
}

// Open finds the installation a helpdesk request names and its workspace.
// An ID of the wrong shape is refused before the database is asked.
func (s *Service) Open(ctx context.Context, kind inbox.Kind, id string) (inbox.Installation, domain.Workspace, error) {
	unknown := inbox.Reject(inbox.ErrUnknownInstallation, "This %s app's address names no shopcard installation (it may have been removed). Ask an admin to copy the address from shopcard (Inboxes) into %s again.", kind.Title(), kind.Title())
	if !inbox.ValidID(id) {
		s.log(ctx, inbox.Installation{Kind: kind}, "open", unknown, 0)
		return inbox.Installation{}, domain.Workspace{}, unknown
	}
	inst, err := s.Installations.InstallationByID(ctx, id)
	if err != nil {
		if domain.KindOf(err) == domain.KindNotFound {
			s.log(ctx, inbox.Installation{Kind: kind}, "open", unknown, 0)
			return inbox.Installation{}, domain.Workspace{}, unknown
		}
		return inbox.Installation{}, domain.Workspace{}, err
	}
	if inst.Kind != kind {
		err := inbox.Reject(inbox.ErrUnknownInstallation, "This address belongs to a %s installation, not %s. Ask an admin to copy the right address from shopcard (Inboxes).", inst.Kind.Title(), kind.Title())
		s.log(ctx, inst, "open", err, 0)
		return inbox.Installation{}, domain.Workspace{}, err
	}
	ws, err := s.Workspaces.WorkspaceByID(ctx, inst.WorkspaceID)
	if err != nil {
		return inbox.Installation{}, domain.Workspace{}, err
	}
	return inst, ws, nil
}

// Prove runs a kind's check of the helpdesk's proof and logs its outcome.
func (s *Service) Prove(ctx context.Context, inst inbox.Installation, check func() error) error {
	start := time.Now()
	err := check()
	s.log(ctx, inst, "proof", err, time.Since(start))
	return err
}

// Grant is what a page that passed its proof sends back for sidebars.
func (s *Service) Grant(ws domain.Workspace, inst inbox.Installation) string {
	return inbox.SignGrant(ws.EmbedSecret, inst.ID, s.Now(), inbox.GrantTTL)
}

// CheckGrant checks a page's grant.
func (s *Service) CheckGrant(ctx context.Context, ws domain.Workspace, inst inbox.Installation, grant string) error {
	err := inbox.VerifyGrant(ws.VerifyingSecrets(s.Now()), inst.ID, grant, s.Now())
	if err != nil {
		s.log(ctx, inst, "grant", err, 0)
	}
	return err
}

// Sidebar asks the helpdesk who ref is, within the installation's
// allowance, and mints the embed token for that contact.
func (s *Service) Sidebar(ctx context.Context, ws domain.Workspace, inst inbox.Installation, ref string) (string, embedtoken.Claims, error) {
	if !s.Limiter.Allow(inst.ID) {
		err := inbox.Reject(inbox.ErrRateLimited, "This installation has asked %s about too many contacts in a short time. Wait a minute and reopen the conversation.", inst.Kind.Title())
		s.log(ctx, inst, "contact", err, 0)
		return "", embedtoken.Claims{}, err
	}
	adapter, ok := s.Adapters[inst.Kind]
	if !ok {
		return "", embedtoken.Claims{}, domain.Errorf(domain.KindInternal, "no adapter for %s", inst.Kind)
	}
	start := time.Now()
	contact, err := adapter.Contact(ctx, inst, ref)
	s.log(ctx, inst, "contact", err, time.Since(start))
	if err != nil {
		return "", embedtoken.Claims{}, err
	}
	claims := embedtoken.Claims{Workspace: ws.Name, Email: contact.Emails[0], Emails: contact.Emails[1:], Name: contact.Name}
	token, err := embedtoken.Sign(ws.EmbedSecret, claims, s.Now(), TokenTTL)
	if err != nil {
		return "", embedtoken.Claims{}, err
	}
	return token, claims, nil
}

// Check tries an installation's credentials for the admin's test button.
func (s *Service) Check(ctx context.Context, inst inbox.Installation) error {
	adapter, ok := s.Adapters[inst.Kind]
	if !ok {
		return domain.Errorf(domain.KindInternal, "no adapter for %s", inst.Kind)
	}
	start := time.Now()
	err := adapter.Check(ctx, inst)
	s.log(ctx, inst, "check", err, time.Since(start))
	return err
}

// log records a step's installation, outcome and latency, never the
// contact, the reference or anything the helpdesk said about them.
func (s *Service) log(ctx context.Context, inst inbox.Installation, step string, err error, elapsed time.Duration) {
	outcome, level := "ok", slog.LevelInfo
	if err != nil {
		outcome, level = inbox.ReasonOf(err), slog.LevelWarn
	}
	s.Logger.LogAttrs(ctx, level, "inbox verification",
		slog.String("installation", inbox.Handle(inst.ID)),
		slog.String("kind", string(inst.Kind)),
		slog.String("step", step),
		slog.String("outcome", outcome),
		slog.Duration("elapsed", elapsed),
	)
}
