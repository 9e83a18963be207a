package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"shopcard/domain"
	"shopcard/storage"
)

// CreateAdmin adds an admin to a workspace. Emails are unique across
// workspaces, since an admin signs in with the email alone.
func (d *DB) CreateAdmin(ctx context.Context, workspaceID int64, email, passwordHash string) (domain.Admin, error) {
	now := d.now().UTC()
	var id int64
	err := d.pool.QueryRow(ctx, `INSERT INTO admins (workspace_id, email, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		workspaceID, email, passwordHash, now).Scan(&id)
	if err != nil {
		// The context names the workspace, not the email: the email is
		// in the conflict's message, for the person who typed it.
		if isUniqueViolation(err) {
			return domain.Admin{}, fmt.Errorf("create admin in workspace %d: %w", workspaceID,
				conflict("An admin with the email %s already exists.", email))
		}
		return domain.Admin{}, fmt.Errorf("create admin in workspace %d: insert: %w", workspaceID, err)
	}
	return domain.Admin{ID: id, WorkspaceID: workspaceID, Email: email, PasswordHash: passwordHash, CreatedAt: now}, nil
}

// AdminByEmail finds an admin by their (lowercased) email.
func (d *DB) AdminByEmail(ctx context.Context, email string) (domain.Admin, error) {
	if hasNUL(email) {
		return domain.Admin{}, fmt.Errorf("admin by email: %w", storage.NotFound("The admin"))
	}
	var a domain.Admin
	err := d.pool.QueryRow(ctx, `SELECT id, workspace_id, email, password_hash, created_at FROM admins WHERE email = $1`, email).
		Scan(&a.ID, &a.WorkspaceID, &a.Email, &a.PasswordHash, &a.CreatedAt)
	if err != nil {
		// No email here: logs should not collect who tried to sign in.
		return domain.Admin{}, fmt.Errorf("admin by email: %w", notFound(err, "The admin"))
	}
	a.CreatedAt = a.CreatedAt.UTC()
	return a, nil
}

// SetAdminPassword replaces an admin's password hash and signs them out
// everywhere, in one transaction.
func (d *DB) SetAdminPassword(ctx context.Context, adminID int64, passwordHash string) error {
	what := fmt.Sprintf("set password of admin %d", adminID)
	return d.inTx(ctx, what, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE admins SET password_hash = $1 WHERE id = $2`, passwordHash, adminID)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if err := mustAffect(tag, "The admin"); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE admin_id = $1`, adminID); err != nil {
			return fmt.Errorf("%s: end sessions: %w", what, err)
		}
		return nil
	})
}

// CreateSession starts a session for an admin, identified by the hash of
// the token in its cookie. Every replica finds it: the session is the
// row.
func (d *DB) CreateSession(ctx context.Context, adminID int64, tokenHash string) (int64, error) {
	now := d.now().UTC()
	var id int64
	if err := d.pool.QueryRow(ctx, `INSERT INTO sessions (token_hash, admin_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3) RETURNING id`,
		tokenHash, adminID, now).Scan(&id); err != nil {
		return 0, fmt.Errorf("create session for admin %d: %w", adminID, err)
	}
	return id, nil
}

// SessionByTokenHash finds a session and its admin. Whether it has expired
// is for the caller to decide.
func (d *DB) SessionByTokenHash(ctx context.Context, tokenHash string) (domain.Session, error) {
	var s domain.Session
	err := d.pool.QueryRow(ctx, `SELECT s.id, s.created_at, s.last_seen_at, a.id, a.workspace_id, a.email, a.password_hash, a.created_at
		FROM sessions s JOIN admins a ON a.id = s.admin_id WHERE s.token_hash = $1`, tokenHash).
		Scan(&s.ID, &s.CreatedAt, &s.LastSeenAt, &s.Admin.ID, &s.Admin.WorkspaceID, &s.Admin.Email, &s.Admin.PasswordHash, &s.Admin.CreatedAt)
	if err != nil {
		// The hash stays out: it names a live session.
		return domain.Session{}, fmt.Errorf("session by token: %w", notFound(err, "The session"))
	}
	s.CreatedAt, s.LastSeenAt, s.Admin.CreatedAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.Admin.CreatedAt.UTC()
	return s, nil
}

// TouchSession records activity, which postpones the idle timeout.
func (d *DB) TouchSession(ctx context.Context, sessionID int64, at time.Time) error {
	if _, err := d.pool.Exec(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id = $2`, at.UTC(), sessionID); err != nil {
		return fmt.Errorf("touch session %d: %w", sessionID, err)
	}
	return nil
}

// DeleteSession ends a session; its cookie no longer signs anyone in.
func (d *DB) DeleteSession(ctx context.Context, sessionID int64) error {
	if _, err := d.pool.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, sessionID); err != nil {
		return fmt.Errorf("delete session %d: %w", sessionID, err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions idle since before idleBefore or
// started before startedBefore.
func (d *DB) DeleteExpiredSessions(ctx context.Context, idleBefore, startedBefore time.Time) error {
	if _, err := d.pool.Exec(ctx, `DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2`, idleBefore.UTC(), startedBefore.UTC()); err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	return nil
}

// SetNotice keeps a message for the session's next page.
func (d *DB) SetNotice(ctx context.Context, sessionID int64, n domain.Notice) error {
	if _, err := d.pool.Exec(ctx, `UPDATE sessions SET flash = $1, flash_error = $2 WHERE id = $3`, n.Message, n.Error, sessionID); err != nil {
		return fmt.Errorf("set notice of session %d: %w", sessionID, err)
	}
	return nil
}

// TakeNotice returns the session's pending message, once: one statement
// reads and clears it under the row's lock, so two pages loading at once,
// on any replicas, never both show it.
func (d *DB) TakeNotice(ctx context.Context, sessionID int64) (domain.Notice, error) {
	var n domain.Notice
	// The subquery reads the row as it was; the UPDATE's row lock makes a
	// second caller wait and then find the message already taken.
	err := d.pool.QueryRow(ctx, `UPDATE sessions s SET flash = '', flash_error = false
		FROM (SELECT id, flash, flash_error FROM sessions WHERE id = $1 FOR UPDATE) old
		WHERE s.id = old.id AND old.flash <> ''
		RETURNING old.flash, old.flash_error`, sessionID).Scan(&n.Message, &n.Error)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Notice{}, nil
	}
	if err != nil {
		return domain.Notice{}, fmt.Errorf("take notice of session %d: %w", sessionID, err)
	}
	return n, nil
}

// SaveOAuthState remembers an OAuth state nonce (by its hash) for a session
// and the shop it was sent to. The callback may reach any replica: the
// nonce is the row.
func (d *DB) SaveOAuthState(ctx context.Context, sessionID int64, stateHash, shop string) error {
	if _, err := d.pool.Exec(ctx, `INSERT INTO oauth_states (state_hash, session_id, shop, created_at) VALUES ($1, $2, $3, $4)`,
		stateHash, sessionID, shop, d.now().UTC()); err != nil {
		return fmt.Errorf("save OAuth state of session %d for %s: %w", sessionID, shop, err)
	}
	return nil
}

// TakeOAuthState consumes a state nonce: it is found only for the session
// that created it, and only once (DELETE … RETURNING: of two callbacks
// with one state, on any replicas, one gets the row). So the code that
// came with it is used at most once too. It returns the shop the flow was
// started for and when.
func (d *DB) TakeOAuthState(ctx context.Context, sessionID int64, stateHash string) (string, time.Time, error) {
	var shop string
	var created time.Time
	err := d.pool.QueryRow(ctx, `DELETE FROM oauth_states WHERE state_hash = $1 AND session_id = $2 RETURNING shop, created_at`, stateHash, sessionID).
		Scan(&shop, &created)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("take OAuth state of session %d: %w", sessionID, notFound(err, "The OAuth state"))
	}
	return shop, created.UTC(), nil
}
