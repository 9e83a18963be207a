package postgres

import (
	"context"
	"fmt"
)

// LockRenewal holds a session advisory lock on a store's renewal until
// unlock, on a connection taken from the pool for it: replicas renewing
// one store's tokens take turns (tokenrefresh.RenewalLock). If the
// replica dies, its session ends and the lock with it.
func (d *DB) LockRenewal(ctx context.Context, storeID int64) (func(), error) {
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock the token renewal of store %d: %w", storeID, err)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, $2)`, lockSpaceRenewal, int32(storeID)); err != nil {
		conn.Release()
		return nil, fmt.Errorf("lock the token renewal of store %d: %w", storeID, err)
	}
	return func() {
		if _, err := conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1, $2)`, lockSpaceRenewal, int32(storeID)); err != nil {
			// The lock must not outlive the renewal: end the session.
			_ = conn.Hijack().Close(context.Background())
			return
		}
		conn.Release()
	}, nil
}
