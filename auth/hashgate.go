package auth

import (
	"context"
	"errors"
	"time"
)

// ErrBusy means a password check was refused because as many as the
// process allows were running and waiting already.
var ErrBusy = errors.New("auth: too many password checks at once")

// HashGate caps how many password hashes run at once, process-wide. Each
// argon2id check takes 19 MiB for tens of milliseconds, so without a cap a
// burst of sign-ins takes memory in proportion to its size (250 at once
// took 4.7 GB); with one, at most concurrent hashes hold memory, a few more
// wait briefly for a turn, and the rest are refused at once.
type HashGate struct {
	slots   chan struct{} // held while a hash runs
	tickets chan struct{} // held while a hash runs or waits
	wait    time.Duration
}

// NewHashGate returns a gate letting concurrent hashes run at once and up
// to queued more wait, each at most wait, for a turn.
func NewHashGate(concurrent, queued int, wait time.Duration) *HashGate {
	concurrent = max(concurrent, 1)
	return &HashGate{
		slots:   make(chan struct{}, concurrent),
		tickets: make(chan struct{}, concurrent+max(queued, 0)),
		wait:    wait,
	}
}

// Do runs check once a slot is free, or returns ErrBusy, without running
// it, when the queue is full or no slot came free in time; the context's
// end also gives up.
func (g *HashGate) Do(ctx context.Context, check func()) error {
	select {
	case g.tickets <- struct{}{}:
	default:
		return ErrBusy
	}
	defer func() { <-g.tickets }()
	select {
	case g.slots <- struct{}{}:
	default:
		t := time.NewTimer(g.wait)
		defer t.Stop()
		select {
		case g.slots <- struct{}{}:
		case <-t.C:
			return ErrBusy
		case <-ctx.Done():
			return ErrBusy
		}
	}
	defer func() { <-g.slots }()
	check()
	return nil
}
