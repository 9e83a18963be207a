package fakeshopify

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrUnknownStore is returned for a shop domain the server does not hold.
var ErrUnknownStore = errors.New("fakeshopify: unknown store")

// store is the server's state for one store. Server.mu guards it.
type store struct {
	info   Store
	tokens map[string]*tokenState

	customers map[uint64]*Customer
	emails    map[string]uint64 // normalized email → customer ID
	orders    map[uint64]*Order
	// byCustomer and byEmail index orders by customer and by normalized
	// email, as Shopify's search index does, so that a lookup does not
	// scan every order of a store that holds thousands (the load test's).
	byCustomer map[uint64][]uint64
	byEmail    map[string][]uint64
	products   map[uint64]*Product
	// nextNumber is the next order number, so names run on from the
	// highest number the store has used.
	nextNumber int

	bucket   bucket
	faults   Faults
	requests int

	subs []webhookSub // webhook subscriptions, in the order created

	// installs are the apps installed on the store, by client ID, with
	// the scopes each was granted.
	installs map[string][]string
	grants   GrantCounts
}

type tokenState struct {
	scopes    []string
	revoked   bool
	expiresAt time.Time // zero: never (custom app tokens)
	// clientID is the app the token was issued to, through OAuth or the
	// client credentials grant; "" for a custom app's token. Webhook
	// subscriptions made with it are signed with that app's secret.
	clientID string
}

// AddStore adds a store, filling in Store's defaults. Its domain must be
// new to the server.
func (s *Server) AddStore(st Store) error {
	st.Domain = strings.ToLower(strings.TrimSpace(st.Domain))
	if st.Domain == "" {
		return errors.New("fakeshopify: a store needs a domain")
	}
	if st.Name == "" {
		st.Name = st.Domain
	}
	if st.Currency == "" {
		st.Currency = "USD"
	}
	if err := checkEnum("CurrencyCode", st.Currency, false); err != nil {
		return fmt.Errorf("fakeshopify: store %s: %w", st.Domain, err)
	}
	if st.OrderPrefix == "" {
		st.OrderPrefix = "#"
	}
	if st.FirstOrderNumber == 0 {
		st.FirstOrderNumber = 1001
	}
	if st.BucketSize == 0 {
		st.BucketSize = 2000
	}
	if st.RestoreRate == 0 {
		st.RestoreRate = 100
	}
	if st.Organization == "" {
		st.Organization = DefaultOrganization
	}
	if st.WebhookSecret == "" {
		st.WebhookSecret = "fake_webhook_secret_" + strings.TrimSuffix(st.Domain, ".myshopify.com")
	}
	if st.PrimaryURL == "" {
		st.PrimaryURL = "https://" + st.Domain
	}
	st.PrimaryURL = strings.TrimRight(st.PrimaryURL, "/")
	if st.ContactEmail == "" {
		st.ContactEmail = "support@" + st.Domain
	}
	if len(st.Currencies) == 0 {
		st.Currencies = []string{st.Currency}
	}
	for _, check := range []struct {
		enum   string
		values []string
	}{{"CurrencyCode", st.Currencies}, {"CountryCode", st.ShipsTo}, {"DigitalWallet", st.Wallets}} {
		for _, v := range check.values {
			if err := checkEnum(check.enum, v, false); err != nil {
				return fmt.Errorf("fakeshopify: store %s: %w", st.Domain, err)
			}
		}
	}
	for _, p := range st.Policies {
		if err := checkEnum("ShopPolicyType", p.Type, false); err != nil {
			return fmt.Errorf("fakeshopify: store %s: %w", st.Domain, err)
		}
	}
	st = st.clone()
	tokens := map[string]*tokenState{}
	for i, t := range st.Tokens {
		if t.Value == "" {
			return fmt.Errorf("fakeshopify: store %s: token %d is empty", st.Domain, i)
		}
		tokens[t.Value] = &tokenState{scopes: slices.Clone(t.Scopes)}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.stores[st.Domain]; ok {
		return fmt.Errorf("fakeshopify: store %s already exists", st.Domain)
	}
	s.stores[st.Domain] = &store{
		info:       st,
		tokens:     tokens,
		customers:  map[uint64]*Customer{},
		emails:     map[string]uint64{},
		orders:     map[uint64]*Order{},
		byCustomer: map[uint64][]uint64{},
		byEmail:    map[string][]uint64{},
		products:   map[uint64]*Product{},
		nextNumber: st.FirstOrderNumber,
		bucket:     newBucket(st.BucketSize, st.RestoreRate, s.clock()),
		installs:   map[string][]string{},
	}
	return nil
}

// Stores lists the stores the server holds, sorted by domain.
func (s *Server) Stores() []Store {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Store, 0, len(s.stores))
	for _, st := range s.stores {
		out = append(out, st.info.clone())
	}
	slices.SortFunc(out, func(a, b Store) int { return strings.Compare(a.Domain, b.Domain) })
	return out
}

// clone deep-copies the store's settings so callers cannot alias them.
func (st Store) clone() Store {
	st.Tokens = slices.Clone(st.Tokens)
	for i := range st.Tokens {
		st.Tokens[i].Scopes = slices.Clone(st.Tokens[i].Scopes)
	}
	st.Currencies = slices.Clone(st.Currencies)
	st.ShipsTo = slices.Clone(st.ShipsTo)
	st.Wallets = slices.Clone(st.Wallets)
	st.Policies = slices.Clone(st.Policies)
	return st
}

// storeLocked returns the store for a shop domain. The caller holds s.mu.
func (s *Server) storeLocked(shop string) (*store, error) {
	st, ok := s.stores[strings.ToLower(shop)]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownStore, shop)
	}
	return st, nil
}

// tokenLocked finds a store's access token; s.mu must be held.
func (s *Server) tokenLocked(shop, token string) (*store, *tokenState, error) {
	st, err := s.storeLocked(shop)
	if err != nil {
		return nil, nil, err
	}
	t, ok := st.tokens[token]
	if !ok {
		return nil, nil, fmt.Errorf("fakeshopify: %s has no such token", st.info.Domain)
	}
	return st, t, nil
}

// AddToken adds an access token to a store, as a custom app's token with
// these scopes: one that never expires.
func (s *Server) AddToken(shop, token string, scopes []string) error {
	if token == "" {
		return errors.New("fakeshopify: a token needs a value")
	}
	for _, sc := range scopes {
		if !slices.Contains(grantableScopes, sc) {
			return fmt.Errorf("fakeshopify: %q is not a valid access scope", sc)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return err
	}
	if _, ok := st.tokens[token]; ok {
		return fmt.Errorf("fakeshopify: %s already has that token", st.info.Domain)
	}
	st.tokens[token] = &tokenState{scopes: slices.Clone(scopes)}
	return nil
}
