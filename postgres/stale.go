package postgres

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"shopcard/domain"
)

// StaleAnswers keeps the last good answers (cache.SharedStale) in the
// database, so every replica can show the one another fetched when
// Shopify does not answer, and a purge on any replica removes it for all.
// They are customer data: each is gzip-compressed JSON sealed with the
// database's key (bound to its cache key), kept until it expires
// (SHOPCARD_STALE_TTL), and all of them together within maxBytes
// (SHOPCARD_STALE_MAX_BYTES, counted in stored bytes, which a trigger
// keeps the total of): the oldest go first. A store's deletion takes its
// answers with it.
type StaleAnswers struct {
	db       *DB
	maxBytes int64
}

// NewStaleAnswers returns the shared last good answers within maxBytes.
func (d *DB) NewStaleAnswers(maxBytes int64) *StaleAnswers {
	return &StaleAnswers{db: d, maxBytes: maxBytes}
}

// purgeGuard allows for clocks that disagree between replicas: an answer
// whose call began less than this before a purge of its store, by the
// clocks' reckoning, is not kept, since it may predate what the purge
// removed.
const purgeGuard = 5 * time.Second

func staleContext(key string) string { return "stale_answer:" + key }

// KeepStale saves a last good answer, replacing the one under its key,
// unless its store's answers were purged since its call began.
func (s *StaleAnswers) KeepStale(ctx context.Context, r domain.StaleAnswer) error {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(r.Answer)
	if err := w.Close(); err != nil {
		return err
	}
	sealed, err := s.db.box.Seal(staleContext(r.Key), z.String())
	if err != nil {
		return fmt.Errorf("keep a last good answer: seal: %w", err)
	}
	size := int64(len(sealed) + len(r.Key))
	if size > s.maxBytes {
		return nil
	}
	now := s.db.now().UTC()
	err = s.db.inTx(ctx, "keep a last good answer", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO stale_answers (key, store_id, email, customer_ids, order_ids, emails, kind, answer, size, stored_at, expires_at)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
			WHERE NOT EXISTS (SELECT 1 FROM stale_answer_purges WHERE store_id = $2 AND purged_at > $12)
			ON CONFLICT (key) DO UPDATE SET store_id = excluded.store_id, email = excluded.email, customer_ids = excluded.customer_ids,
				order_ids = excluded.order_ids, emails = excluded.emails, kind = excluded.kind, answer = excluded.answer,
				size = excluded.size, stored_at = excluded.stored_at, expires_at = excluded.expires_at`,
			r.Key, r.StoreID, r.Email, ids(r.CustomerIDs), ids(r.OrderIDs), nonNil(r.Emails), r.Kind, sealed, size,
			now, now.Add(r.TTL), r.Started.Add(-purgeGuard).UTC())
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM stale_answers WHERE expires_at <= $1`, now); err != nil {
			return err
		}
		// Within the budget: the oldest go first. The total's row stays
		// locked (the trigger updated it) until commit, so replicas keeping
		// answers at once trim in turn.
		for {
			var total int64
			if err := tx.QueryRow(ctx, `SELECT total FROM stale_answer_bytes WHERE id = 1`).Scan(&total); err != nil {
				return err
			}
			if total <= s.maxBytes {
				return nil
			}
			if _, err := tx.Exec(ctx, `DELETE FROM stale_answers WHERE key IN (SELECT key FROM stale_answers ORDER BY stored_at, key LIMIT 8)`); err != nil {
				return err
			}
		}
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" {
		return nil // the store is gone, and its answers with it
	}
	if err != nil {
		return fmt.Errorf("keep a last good answer of store %d: %w", r.StoreID, err)
	}
	return nil
}

// StaleAnswer returns the last good answer under key, unless it expired.
func (s *StaleAnswers) StaleAnswer(ctx context.Context, key string) (domain.StaleAnswer, bool, error) {
	r := domain.StaleAnswer{Key: key}
	var sealed string
	var stored time.Time
	err := s.db.pool.QueryRow(ctx, `SELECT store_id, email, kind, answer, stored_at FROM stale_answers WHERE key = $1 AND expires_at > $2`,
		key, s.db.now().UTC()).Scan(&r.StoreID, &r.Email, &r.Kind, &sealed, &stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.StaleAnswer{}, false, nil
	}
	if err != nil {
		return domain.StaleAnswer{}, false, fmt.Errorf("read a last good answer: %w", err)
	}
	plain, err := s.db.box.Open(staleContext(key), sealed)
	if err != nil {
		return domain.StaleAnswer{}, false, fmt.Errorf("open a last good answer: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader([]byte(plain)))
	if err != nil {
		return domain.StaleAnswer{}, false, fmt.Errorf("read a last good answer: %w", err)
	}
	if r.Answer, err = io.ReadAll(zr); err != nil {
		return domain.StaleAnswer{}, false, fmt.Errorf("read a last good answer: %w", err)
	}
	return r, true, nil
}

// PurgeStale removes the last good answers m selects in the stores (all
// of theirs when all), and notes the purge, so that a call that began
// before it does not keep its answer afterwards.
func (s *StaleAnswers) PurgeStale(ctx context.Context, storeIDs []int64, all bool, m domain.AnswerMatch) error {
	if len(storeIDs) == 0 {
		return nil
	}
	now := s.db.now().UTC()
	err := s.db.inTx(ctx, "purge last good answers", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO stale_answer_purges (store_id, purged_at) SELECT id, $2 FROM stores WHERE id = ANY($1)
			ON CONFLICT (store_id) DO UPDATE SET purged_at = GREATEST(stale_answer_purges.purged_at, excluded.purged_at)`, storeIDs, now); err != nil {
			return err
		}
		if all {
			_, err := tx.Exec(ctx, `DELETE FROM stale_answers WHERE store_id = ANY($1)`, storeIDs)
			return err
		}
		lower := make([]string, len(m.Emails))
		for i, e := range m.Emails {
			lower[i] = asciiLower(e)
		}
		_, err := tx.Exec(ctx, `DELETE FROM stale_answers WHERE store_id = ANY($1) AND
			(email = ANY($2) OR emails && $3 OR customer_ids && $4 OR order_ids && $5)`,
			storeIDs, nonNil(m.Emails), lower, ids(m.CustomerIDs), ids(m.OrderIDs))
		return err
	})
	if err != nil {
		return fmt.Errorf("purge last good answers of stores %v: %w", storeIDs, err)
	}
	return nil
}

// ids are Shopify's legacy IDs as PostgreSQL's bigint: they fit, being
// below 2^63.
func ids(in []uint64) []int64 {
	out := make([]int64, len(in))
	for i, v := range in {
		out[i] = int64(v)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
