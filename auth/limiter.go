package auth

import (
	"net"
	"sync"
	"time"
)

// Rule allows Max failures within Window.
type Rule struct {
	Max    int
	Window time.Duration
}

// ThrottleRules are the limits a Throttle enforces, each over its own key.
type ThrottleRules struct {
	// AccountAddress limits one account from one client address: the
	// limit a guesser at one address meets first, and the only one their
	// failures put on that account from that address.
	AccountAddress Rule
	// Address limits one client address across every account, so that one
	// address cannot spray guesses over many accounts.
	Address Rule
	// Account limits one account from every address together. It is
	// slower (more failures over a longer window) and it does not apply to
	// addresses the account signed in from within KnownFor, so a guesser
	// with many addresses slows the account down but does not lock its
	// admin out of their usual address.
	Account  Rule
	KnownFor time.Duration
}

// Throttle limits failed sign-ins. Every attempt is reserved, counted as a
// failure, before its password is checked, under one lock for every key it
// touches, so a burst of simultaneous attempts gets at most the failures the
// rules allow and no more password hashes. A correct password gives its
// reservation back. It lives in memory: a restart forgets it, which only an
// operator can cause.
type Throttle struct {
	rules ThrottleRules

	mu                     sync.Mutex
	pair, address, account failures
	known                  map[string]map[string]time.Time // account → address → last successful sign-in
}

// maxKeys bounds the memory a flood of distinct keys can take in each map;
// past it, keys whose failures have all left their window go first.
const maxKeys = 100_000

// failures are the times of recent failures by key, oldest first.
type failures map[string][]time.Time

// NewThrottle returns a Throttle enforcing rules.
func NewThrottle(rules ThrottleRules) *Throttle {
	return &Throttle{rules: rules, pair: failures{}, address: failures{}, account: failures{}, known: map[string]map[string]time.Time{}}
}

// Attempt is a reserved sign-in attempt: a failure already counted, until
// Succeeded or Abandon gives it back.
type Attempt struct {
	t                      *Throttle
	account, address, pair string
	at                     time.Time
	countsForAccount       bool
	done                   bool
}

// Reserve counts an attempt on account from address as a failure, before
// its password is checked, unless a rule already refuses it; then ok is
// false and wait says how long until an attempt could be allowed.
func (t *Throttle) Reserve(account, address string, now time.Time) (a *Attempt, wait time.Duration, ok bool) {
	address = AddressKey(address)
	pair := account + "\x00" + address
	t.mu.Lock()
	defer t.mu.Unlock()
	countsForAccount := !t.knownLocked(account, address, now)
	wait = max(t.pair.blocked(pair, t.rules.AccountAddress, now), t.address.blocked(address, t.rules.Address, now))
	if countsForAccount {
		wait = max(wait, t.account.blocked(account, t.rules.Account, now))
	}
	if wait > 0 {
		return nil, wait, false
	}
	t.pair.add(pair, t.rules.AccountAddress, now)
	t.address.add(address, t.rules.Address, now)
	if countsForAccount {
		t.account.add(account, t.rules.Account, now)
	}
	return &Attempt{t: t, account: account, address: address, pair: pair, at: now, countsForAccount: countsForAccount}, 0, true
}

// Failed keeps the attempt counted: the password was wrong.
func (a *Attempt) Failed() { a.done = true }

// Abandon gives the attempt back without a verdict: no password was
// checked (the server was too busy to check it).
func (a *Attempt) Abandon() {
	if a.done {
		return
	}
	a.done = true
	a.t.mu.Lock()
	defer a.t.mu.Unlock()
	a.t.undoLocked(a)
}

// Succeeded gives the attempt back, forgets the account's failures from
// this address, and remembers the address as one the account signs in
// from.
func (a *Attempt) Succeeded(now time.Time) {
	if a.done {
		return
	}
	a.done = true
	t := a.t
	t.mu.Lock()
	defer t.mu.Unlock()
	t.undoLocked(a)
	delete(t.pair, a.pair)
	if t.rules.KnownFor <= 0 {
		return
	}
	addrs := t.known[a.account]
	if addrs == nil {
		if len(t.known) >= maxKeys {
			t.pruneKnownLocked(now)
		}
		addrs = map[string]time.Time{}
		t.known[a.account] = addrs
	}
	// An account signs in from few places; a bound keeps it so.
	if len(addrs) >= 64 {
		oldest, oldestAt := "", now
		for k, at := range addrs {
			if at.Before(oldestAt) {
				oldest, oldestAt = k, at
			}
		}
		delete(addrs, oldest)
	}
	addrs[a.address] = now
}

func (t *Throttle) undoLocked(a *Attempt) {
	t.pair.remove(a.pair, a.at)
	t.address.remove(a.address, a.at)
	if a.countsForAccount {
		t.account.remove(a.account, a.at)
	}
}

// knownLocked reports whether account signed in from address within
// KnownFor.
func (t *Throttle) knownLocked(account, address string, now time.Time) bool {
	at, ok := t.known[account][address]
	return ok && now.Sub(at) < t.rules.KnownFor
}

func (t *Throttle) pruneKnownLocked(now time.Time) {
	for account, addrs := range t.known {
		for addr, at := range addrs {
			if now.Sub(at) >= t.rules.KnownFor {
				delete(addrs, addr)
			}
		}
		if len(addrs) == 0 {
			delete(t.known, account)
		}
	}
	for account := range t.known {
		if len(t.known) < maxKeys {
			break
		}
		delete(t.known, account)
	}
}

// blocked says how long until key may fail again under r, or 0 if it may
// now. A rule without a maximum allows everything.
func (f failures) blocked(key string, r Rule, now time.Time) time.Duration {
	if r.Max <= 0 {
		return 0
	}
	recent := f.recent(key, r, now)
	if len(recent) < r.Max {
		return 0
	}
	return max(recent[len(recent)-r.Max].Add(r.Window).Sub(now), time.Nanosecond)
}

func (f failures) add(key string, r Rule, now time.Time) {
	if len(f) >= maxKeys {
		f.prune(r, now)
	}
	f[key] = append(f.recent(key, r, now), now)
}

// remove takes back one failure at exactly at.
func (f failures) remove(key string, at time.Time) {
	times := f[key]
	for i := len(times) - 1; i >= 0; i-- {
		if times[i].Equal(at) {
			f[key] = append(times[:i:i], times[i+1:]...)
			break
		}
	}
	if len(f[key]) == 0 {
		delete(f, key)
	}
}

// recent drops key's failures that left the window and returns the rest.
func (f failures) recent(key string, r Rule, now time.Time) []time.Time {
	times := f[key]
	cut := 0
	for cut < len(times) && !times[cut].After(now.Add(-r.Window)) {
		cut++
	}
	if cut == len(times) {
		delete(f, key)
		return nil
	}
	times = times[cut:]
	f[key] = times
	return times
}

func (f failures) prune(r Rule, now time.Time) {
	for k := range f {
		f.recent(k, r, now)
	}
	// Still full: forget arbitrary keys rather than grow without bound.
	for k := range f {
		if len(f) < maxKeys {
			break
		}
		delete(f, k)
	}
}

// AddressKey is the key a client address is throttled by: an IPv4 address
// itself, and an IPv6 address's /64, which one subscriber usually holds
// whole; keying by the full IPv6 address would give a guesser 2^64 fresh
// addresses. Anything unparseable is its own key.
func AddressKey(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil {
		return addr
	}
	if v4 := ip.To4(); v4 != nil {
		return v4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
