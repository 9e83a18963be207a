package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"shopcard/domain"
)

// CreateAdmin adds an admin to a workspace. Emails are unique across
// workspaces, since an admin signs in with the email alone.
func (d *DB) CreateAdmin(ctx context.Context, workspaceID int64, email, passwordHash string) (domain.Admin, error) {
	now := d.now()
	res, err := d.db.ExecContext(ctx, `INSERT INTO admins (workspace_id, email, password_hash, created_at) VALUES (?, ?, ?, ?)`,
		workspaceID, email, passwordHash, formatTime(now))
	if err != nil {
		// The context names the workspace, not the email: the email is
		// in the conflict's message, for the person who typed it.
		if isUniqueViolation(err) {
			return domain.Admin{}, fmt.Errorf("create admin in workspace %d: %w", workspaceID,
				domain.Errorf(domain.KindConflict, "An admin with the email %s already exists.", email))
		}
		return domain.Admin{}, fmt.Errorf("create admin in workspace %d: insert: %w", workspaceID, err)
	}
	id, _ := res.LastInsertId()
	return domain.Admin{ID: id, WorkspaceID: workspaceID, Email: email, PasswordHash: passwordHash, CreatedAt: now}, nil
}

// AdminByEmail finds an admin by their (lowercased) email.
func (d *DB) AdminByEmail(ctx context.Context, email string) (domain.Admin, error) {
	var (
		a       domain.Admin
		created string
	)
	err := d.db.QueryRowContext(ctx, `SELECT id, workspace_id, email, password_hash, created_at FROM admins WHERE email = ?`, email).
		Scan(&a.ID, &a.WorkspaceID, &a.Email, &a.PasswordHash, &created)
	if err != nil {
		// No email here: logs should not collect who tried to sign in.
		return domain.Admin{}, fmt.Errorf("admin by email: %w", notFound(err, "The admin"))
	}
	a.CreatedAt = parseTime(nullString(created))
	return a, nil
}

// SetAdminPassword replaces an admin's password hash and signs them out
// everywhere.
func (d *DB) SetAdminPassword(ctx context.Context, adminID int64, passwordHash string) error {
	what := fmt.Sprintf("set password of admin %d", adminID)
	return d.inTx(ctx, what, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE admins SET password_hash = ? WHERE id = ?`, passwordHash, adminID)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if err := mustAffect(res, "The admin"); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE admin_id = ?`, adminID); err != nil {
			return fmt.Errorf("%s: end sessions: %w", what, err)
		}
		return nil
	})
}

// CreateSession starts a session for an admin, identified by the hash of
// the token in its cookie.
func (d *DB) CreateSession(ctx context.Context, adminID int64, tokenHash string) (int64, error) {
	now := d.nowText()
	res, err := d.db.ExecContext(ctx, `INSERT INTO sessions (token_hash, admin_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)`,
		tokenHash, adminID, now, now)
	if err != nil {
		return 0, fmt.Errorf("create session for admin %d: %w", adminID, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("create session for admin %d: %w", adminID, err)
	}
	return id, nil
}

// SessionByTokenHash finds a session and its admin. Whether it has expired
// is for the caller to decide.
func (d *DB) SessionByTokenHash(ctx context.Context, tokenHash string) (domain.Session, error) {
	var (
		s                           domain.Session
		created, seen, adminCreated string
	)
	err := d.db.QueryRowContext(ctx, `SELECT s.id, s.created_at, s.last_seen_at, a.id, a.workspace_id, a.email, a.password_hash, a.created_at
		FROM sessions s JOIN admins a ON a.id = s.admin_id WHERE s.token_hash = ?`, tokenHash).
		Scan(&s.ID, &created, &seen, &s.Admin.ID, &s.Admin.WorkspaceID, &s.Admin.Email, &s.Admin.PasswordHash, &adminCreated)
	if err != nil {
		// The hash stays out: it names a live session.
		return domain.Session{}, fmt.Errorf("session by token: %w", notFound(err, "The session"))
	}
	s.CreatedAt = parseTime(nullString(created))
	s.LastSeenAt = parseTime(nullString(seen))
	s.Admin.CreatedAt = parseTime(nullString(adminCreated))
	return s, nil
}

// TouchSession records activity, which postpones the idle timeout.
func (d *DB) TouchSession(ctx context.Context, sessionID int64, at time.Time) error {
	if _, err := d.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, formatTime(at), sessionID); err != nil {
		return fmt.Errorf("touch session %d: %w", sessionID, err)
	}
	return nil
}

// DeleteSession ends a session; its cookie no longer signs anyone in.
func (d *DB) DeleteSession(ctx context.Context, sessionID int64) error {
	if _, err := d.db.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, sessionID); err != nil {
		return fmt.Errorf("delete session %d: %w", sessionID, err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions idle since before idleBefore or
// started before startedBefore.
func (d *DB) DeleteExpiredSessions(ctx context.Context, idleBefore, startedBefore time.Time) error {
	if _, err := d.db.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?`, formatTime(idleBefore), formatTime(startedBefore)); err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	return nil
}

// SetNotice keeps a message for the session's next page.
func (d *DB) SetNotice(ctx context.Context, sessionID int64, n domain.Notice) error {
	if _, err := d.db.ExecContext(ctx, `UPDATE sessions SET flash = ?, flash_error = ? WHERE id = ?`, n.Message, n.Error, sessionID); err != nil {
		return fmt.Errorf("set notice of session %d: %w", sessionID, err)
	}
	return nil
}

// TakeNotice returns the session's pending message, once: the read and
// the clearing are one immediate transaction, so two pages loading at once
// neither both show it nor fail on each other's write.
func (d *DB) TakeNotice(ctx context.Context, sessionID int64) (domain.Notice, error) {
	var n domain.Notice
	what := fmt.Sprintf("take notice of session %d", sessionID)
	err := d.inTx(ctx, what, func(tx *sql.Tx) error {
		n = domain.Notice{}
		err := tx.QueryRowContext(ctx, `SELECT flash, flash_error FROM sessions WHERE id = ?`, sessionID).Scan(&n.Message, &n.Error)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && n.Message == "") {
			n = domain.Notice{}
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET flash = '', flash_error = 0 WHERE id = ?`, sessionID); err != nil {
			return fmt.Errorf("%s: clear: %w", what, err)
		}
		return nil
	})
	if err != nil {
		return domain.Notice{}, err
	}
	return n, nil
}

// SaveOAuthState remembers an OAuth state nonce (by its hash) for a session
// and the shop it was sent to.
func (d *DB) SaveOAuthState(ctx context.Context, sessionID int64, stateHash, shop string) error {
	if _, err := d.db.ExecContext(ctx, `INSERT INTO oauth_states (state_hash, session_id, shop, created_at) VALUES (?, ?, ?, ?)`,
		stateHash, sessionID, shop, d.nowText()); err != nil {
		return fmt.Errorf("save OAuth state of session %d for %s: %w", sessionID, shop, err)
	}
	return nil
}

// TakeOAuthState consumes a state nonce: it is found only for the session
// that created it, and only once. It returns the shop the flow was started
// for and when.
func (d *DB) TakeOAuthState(ctx context.Context, sessionID int64, stateHash string) (string, time.Time, error) {
	var shop, created string
	err := d.db.QueryRowContext(ctx, `DELETE FROM oauth_states WHERE state_hash = ? AND session_id = ? RETURNING shop, created_at`, stateHash, sessionID).
		Scan(&shop, &created)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("take OAuth state of session %d: %w", sessionID, notFound(err, "The OAuth state"))
	}
	return shop, parseTime(nullString(created)), nil
}
