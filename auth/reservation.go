package auth

import (
	"context"
	"time"
)

// Reservation is a reserved sign-in attempt, counted as a failure until
// Succeeded or Abandon gives it back: an *Attempt in one process's memory,
// or a row in PostgreSQL shared by every replica (postgres.Throttle). Its
// methods never fail the sign-in: a reservation that can't be given back
// stays counted, which errs towards refusing.
type Reservation interface {
	Failed(ctx context.Context)
	Abandon(ctx context.Context)
	Succeeded(ctx context.Context, now time.Time)
}

// Local is a Throttle in this process's memory, as the sign-in handler
// uses throttles: one replica's, or the only process's on SQLite.
type Local struct{ *Throttle }

// Reserve is Throttle.Reserve; it never fails.
func (l Local) Reserve(ctx context.Context, account, address string, now time.Time) (Reservation, time.Duration, bool, error) {
	a, wait, ok := l.Throttle.Reserve(account, address, now)
	if !ok {
		return nil, wait, false, nil
	}
	return localAttempt{a}, 0, true, nil
}

type localAttempt struct{ a *Attempt }

func (l localAttempt) Failed(context.Context)                   { l.a.Failed() }
func (l localAttempt) Abandon(context.Context)                  { l.a.Abandon() }
func (l localAttempt) Succeeded(_ context.Context, t time.Time) { l.a.Succeeded(t) }
