// Package auth holds the admin console's credentials logic, free of HTTP
// and storage: argon2id password hashes, random session tokens and the
// hashes stored in their place, CSRF tokens derived from a session, and the
// sign-in throttle.
package auth
