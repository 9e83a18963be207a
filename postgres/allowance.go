package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/time/rate"
)

// VerifyAllowance is inbox.Limiter's allowance per helpdesk installation
// (a token bucket: rate a second, up to burst), kept in the database so
// that the limit holds for the whole deployment, not each replica: with N
// replicas behind a load balancer, a leaked installation URL still asks
// the helpdesk about one contact a second. One statement takes a token
// under the row's lock; clocks that disagree between replicas never add
// tokens (time only counts forward).
type VerifyAllowance struct {
	db    *DB
	rate  rate.Limit
	burst int
	now   func() time.Time
}

// NewVerifyAllowance returns the shared allowance.
func (d *DB) NewVerifyAllowance(limit rate.Limit, burst int, now func() time.Time) *VerifyAllowance {
	return &VerifyAllowance{db: d, rate: limit, burst: burst, now: now}
}

// Allow takes one verification from an installation's allowance.
func (a *VerifyAllowance) Allow(ctx context.Context, installationID string) (bool, error) {
	now := a.now().UTC()
	var left float64
	err := a.db.pool.QueryRow(ctx, `INSERT INTO inbox_verify_allowance AS b (installation_id, tokens, updated_at) VALUES ($1, $2 - 1, $4)
		ON CONFLICT (installation_id) DO UPDATE SET
			tokens = LEAST($2::float8, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM ($4::timestamptz - b.updated_at))::float8) * $3::float8) - 1,
			updated_at = GREATEST(b.updated_at, $4::timestamptz)
		WHERE LEAST($2::float8, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM ($4::timestamptz - b.updated_at))::float8) * $3::float8) >= 1
		RETURNING tokens`, installationID, float64(a.burst), float64(a.rate), now).Scan(&left)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("verification allowance of installation: %w", err)
	}
	return true, nil
}
