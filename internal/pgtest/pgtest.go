// Package pgtest gives tests a PostgreSQL database of their own: a fresh,
// empty database on the server SHOPCARD_TEST_DATABASE_URL names, dropped
// when the test ends. Without that variable the test skips and says how
// to run it; SHOPCARD_REQUIRE_POSTGRES=1 (as in CI) makes that a failure.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the server tests create their databases on.
const EnvURL = "SHOPCARD_TEST_DATABASE_URL"

// ServerURL returns the test server's URL, skipping the test (or failing
// it under SHOPCARD_REQUIRE_POSTGRES) when there is none.
func ServerURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		if os.Getenv("SHOPCARD_REQUIRE_POSTGRES") != "" {
			tb.Fatalf("%s is not set, and SHOPCARD_REQUIRE_POSTGRES says PostgreSQL tests must run", EnvURL)
		}
		tb.Skipf("PostgreSQL tests skipped: set %s=postgres://user@host:port/postgres (a server where the user may create databases; .ci/run starts one)", EnvURL)
	}
	return u
}

// Available reports whether PostgreSQL tests can run, without skipping.
func Available() bool { return os.Getenv(EnvURL) != "" }

// NewDatabase creates an empty database and returns its URL; it is
// dropped, with any connection still open to it, when the test ends.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	server := ServerURL(tb)
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	name := "shopcard_test_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		tb.Fatalf("connect to the test server (%s): %v", EnvURL, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
