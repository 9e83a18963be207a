package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"shopcard/auth"
)

// Throttle is the sign-in throttle of auth.Throttle, with the same rules
// and the same answers, kept in the database so that failures on every
// replica count together. Each key (an account from one address, an
// address, an account from everywhere) is one row holding its recent
// failures; an attempt locks its keys (advisory locks, in one order, so
// two attempts never wait on each other in a circle), reads them, and
// counts itself before its password is hashed, in one transaction. Rows
// go once their newest failure leaves its window, so the table holds only
// keys that failed lately: at most 41 per client address an hour (the
// address rule stops more), and known addresses only for accounts that
// signed in.
type Throttle struct {
	db     *DB
	rules  auth.ThrottleRules
	logger *slog.Logger
}

// NewThrottle returns the shared sign-in throttle enforcing rules.
func (d *DB) NewThrottle(rules auth.ThrottleRules, logger *slog.Logger) *Throttle {
	return &Throttle{db: d, rules: rules, logger: logger}
}

// The throttle's rules, by the name its rows carry.
const (
	rulePair    = "pair"
	ruleAddress = "address"
	ruleAccount = "account"
)

type throttleKey struct {
	rule, key string
	r         auth.Rule
}

// maxKnownAddresses bounds the addresses remembered for one account, as
// auth.Throttle does.
const maxKnownAddresses = 64

// Reserve counts an attempt on account from address as a failure, before
// its password is checked, unless a rule already refuses it; then ok is
// false and wait says how long until an attempt could be allowed.
func (t *Throttle) Reserve(ctx context.Context, account, address string, now time.Time) (auth.Reservation, time.Duration, bool, error) {
	// Keys are stored hashed: an account is whatever was typed into the
	// form (a NUL byte included, which PostgreSQL text refuses), and the
	// table need not say who tried to sign in from where.
	address = keyHash(auth.AddressKey(address))
	account = keyHash(account)
	keys := []throttleKey{
		{rulePair, keyHash(account + "\x00" + address), t.rules.AccountAddress},
		{ruleAddress, address, t.rules.Address},
		{ruleAccount, account, t.rules.Account},
	}
	now = now.UTC().Truncate(time.Microsecond) // as PostgreSQL keeps it
	var (
		wait             time.Duration
		countsForAccount bool
	)
	err := t.db.inTx(ctx, "reserve a sign-in attempt", func(tx pgx.Tx) error {
		wait = 0
		if err := lockKeys(ctx, tx, keys); err != nil {
			return err
		}
		var knownAt *time.Time
		err := tx.QueryRow(ctx, `SELECT signed_in_at FROM signin_known_addresses WHERE account = $1 AND address = $2`, account, address).Scan(&knownAt)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("reserve a sign-in attempt: known addresses: %w", err)
		}
		countsForAccount = knownAt == nil || now.Sub(*knownAt) >= t.rules.KnownFor
		recent := make([][]time.Time, len(keys))
		for i, k := range keys {
			if k.rule == ruleAccount && !countsForAccount {
				continue
			}
			var failures []time.Time
			err := tx.QueryRow(ctx, `SELECT failures FROM signin_failures WHERE rule = $1 AND key = $2`, k.rule, k.key).Scan(&failures)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("reserve a sign-in attempt: %w", err)
			}
			recent[i] = within(failures, k.r, now)
			wait = max(wait, blocked(recent[i], k.r, now))
		}
		if wait > 0 {
			return nil
		}
		for i, k := range keys {
			if k.rule == ruleAccount && !countsForAccount {
				continue
			}
			failures := append(recent[i], now)
			if k.r.Max > 0 && len(failures) > k.r.Max {
				failures = failures[len(failures)-k.r.Max:]
			}
			if _, err := tx.Exec(ctx, `INSERT INTO signin_failures (rule, key, failures, expires_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (rule, key) DO UPDATE SET failures = excluded.failures, expires_at = excluded.expires_at`,
				k.rule, k.key, failures, now.Add(k.r.Window)); err != nil {
				return fmt.Errorf("reserve a sign-in attempt: count it: %w", err)
			}
		}
		// Keys whose failures all left their window go.
		if _, err := tx.Exec(ctx, `DELETE FROM signin_failures WHERE expires_at <= $1`, now); err != nil {
			return fmt.Errorf("reserve a sign-in attempt: prune: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, 0, false, err
	}
	if wait > 0 {
		return nil, wait, false, nil
	}
	if !countsForAccount {
		keys = keys[:2]
	}
	return &reservation{t: t, keys: keys, account: account, address: address, at: now}, 0, true, nil
}

func keyHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// lockKeys takes the keys' advisory locks, sorted, so that attempts
// sharing keys take turns and never deadlock.
func lockKeys(ctx context.Context, tx pgx.Tx, keys []throttleKey) error {
	ids := make([]int32, 0, len(keys))
	for _, k := range keys {
		ids = append(ids, hash32(k.rule+"\x00"+k.key))
	}
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lockSpaceSignIn, id); err != nil {
			return fmt.Errorf("lock sign-in throttle: %w", err)
		}
	}
	return nil
}

// within keeps the failures that have not left r's window at now, oldest
// first, as auth.Throttle does.
func within(failures []time.Time, r auth.Rule, now time.Time) []time.Time {
	var out []time.Time
	for _, f := range failures {
		if f.After(now.Add(-r.Window)) {
			out = append(out, f.UTC())
		}
	}
	return out
}

// blocked says how long until another failure is allowed under r.
func blocked(recent []time.Time, r auth.Rule, now time.Time) time.Duration {
	if r.Max <= 0 || len(recent) < r.Max {
		return 0
	}
	return max(recent[len(recent)-r.Max].Add(r.Window).Sub(now), time.Nanosecond)
}

// reservation is one reserved attempt in the database.
type reservation struct {
	t                *Throttle
	keys             []throttleKey
	account, address string
	at               time.Time
	done             bool
}

// Failed keeps the attempt counted: the password was wrong.
func (r *reservation) Failed(context.Context) { r.done = true }

// Abandon gives the attempt back without a verdict.
func (r *reservation) Abandon(ctx context.Context) {
	if r.done {
		return
	}
	r.done = true
	if err := r.t.db.inTx(ctx, "give back a sign-in attempt", func(tx pgx.Tx) error { return r.undo(ctx, tx) }); err != nil {
		r.t.logger.Warn("give back a sign-in attempt", slog.String("error", err.Error()))
	}
}

// Succeeded gives the attempt back, forgets the account's failures from
// this address, and remembers the address as one the account signs in
// from.
func (r *reservation) Succeeded(ctx context.Context, now time.Time) {
	if r.done {
		return
	}
	r.done = true
	err := r.t.db.inTx(ctx, "record a sign-in", func(tx pgx.Tx) error {
		if err := r.undo(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM signin_failures WHERE rule = $1 AND key = $2`, rulePair, r.keys[0].key); err != nil {
			return fmt.Errorf("forget failures: %w", err)
		}
		if r.t.rules.KnownFor <= 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO signin_known_addresses (account, address, signed_in_at) VALUES ($1, $2, $3)
			ON CONFLICT (account, address) DO UPDATE SET signed_in_at = excluded.signed_in_at`, r.account, r.address, now.UTC()); err != nil {
			return fmt.Errorf("remember the address: %w", err)
		}
		// An account signs in from few places; a bound keeps it so.
		if _, err := tx.Exec(ctx, `DELETE FROM signin_known_addresses WHERE account = $1 AND address IN (
			SELECT address FROM signin_known_addresses WHERE account = $1 ORDER BY signed_in_at DESC OFFSET $2)`, r.account, maxKnownAddresses); err != nil {
			return fmt.Errorf("bound known addresses: %w", err)
		}
		_, err := tx.Exec(ctx, `DELETE FROM signin_known_addresses WHERE signed_in_at < $1`, now.Add(-r.t.rules.KnownFor).UTC())
		return err
	})
	if err != nil {
		r.t.logger.Warn("record a sign-in with the throttle", slog.String("error", err.Error()))
	}
}

// undo takes back the one failure this attempt counted on each key.
func (r *reservation) undo(ctx context.Context, tx pgx.Tx) error {
	if err := lockKeys(ctx, tx, r.keys); err != nil {
		return err
	}
	for _, k := range r.keys {
		if _, err := tx.Exec(ctx, `UPDATE signin_failures SET failures = failures[:array_position(failures, $3) - 1] || failures[array_position(failures, $3) + 1:]
			WHERE rule = $1 AND key = $2 AND array_position(failures, $3) IS NOT NULL`, k.rule, k.key, r.at); err != nil {
			return fmt.Errorf("give back a failure: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM signin_failures WHERE rule = $1 AND key = $2 AND cardinality(failures) = 0`, k.rule, k.key); err != nil {
			return fmt.Errorf("give back a failure: %w", err)
		}
	}
	return nil
}
