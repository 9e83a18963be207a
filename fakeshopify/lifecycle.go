package fakeshopify

import (
	"fmt"
	"slices"
)

// UninstallApp models the merchant uninstalling the app: every token of
// the store is revoked (401 from then on), app/uninstalled is delivered,
// and the app's webhook subscriptions and installations are removed, in
// that order, so client credentials get app_not_installed from then on.
func (s *Server) UninstallApp(shop string) error {
	var pending []pendingDelivery
	defer func() { s.dispatch(pending) }()
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return err
	}
	for _, t := range st.tokens {
		t.revoked = true
	}
	pending, err = s.webhooksLocked(st, "app/uninstalled", shopPayload(st))
	st.subs = nil
	clear(st.installs)
	return err
}

// SetTokenScopes changes the scopes a token was granted, as when the
// merchant approves new ones, and delivers app/scopes_update.
func (s *Server) SetTokenScopes(shop, token string, scopes []string) error {
	var pending []pendingDelivery
	defer func() { s.dispatch(pending) }()
	s.mu.Lock()
	defer s.mu.Unlock()
	st, t, err := s.tokenLocked(shop, token)
	if err != nil {
		return err
	}
	previous := t.scopes
	t.scopes = slices.Clone(scopes)
	pending, err = s.webhooksLocked(st, "app/scopes_update", map[string]any{
		"id": shopID(st), "previous": previous, "current": t.scopes, "updated_at": restTime(s.clock()),
		"admin_graphql_api_id": fmt.Sprintf("gid://shopify/AppInstallation/%d", shopID(st)),
	})
	return err
}

// RequestCustomerData delivers customers/data_request for a customer, as
// when they ask the merchant for their data.
func (s *Server) RequestCustomerData(shop string, customerID uint64) error {
	return s.complianceWebhook(shop, "customers/data_request", customerID)
}

// RedactCustomer delivers customers/redact for a customer, as Shopify does
// when a merchant erases a customer's personal data.
func (s *Server) RedactCustomer(shop string, customerID uint64) error {
	return s.complianceWebhook(shop, "customers/redact", customerID)
}

func (s *Server) complianceWebhook(shop, topic string, customerID uint64) error {
	var pending []pendingDelivery
	defer func() { s.dispatch(pending) }()
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return err
	}
	c, ok := st.customers[customerID]
	if !ok {
		return fmt.Errorf("fakeshopify: %s has no customer %d", st.info.Domain, customerID)
	}
	orders := []uint64{}
	for _, o := range st.customerOrdersLocked(customerID) {
		orders = append(orders, o.ID)
	}
	slices.Sort(orders)
	payload := map[string]any{
		"shop_id": shopID(st), "shop_domain": st.info.Domain,
		"customer": map[string]any{"id": c.ID, "email": nullableString(c.Email), "phone": nullableString(c.Phone)},
	}
	if topic == "customers/redact" {
		payload["orders_to_redact"] = orders
	} else {
		payload["orders_requested"] = orders
		payload["data_request"] = map[string]any{"id": s.nextSubscriptionID}
		s.nextSubscriptionID++
	}
	pending, err = s.webhooksLocked(st, topic, payload)
	return err
}

// RedactShop delivers shop/redact, which Shopify sends 48 hours after an
// app is uninstalled.
func (s *Server) RedactShop(shop string) error {
	var pending []pendingDelivery
	defer func() { s.dispatch(pending) }()
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return err
	}
	pending, err = s.webhooksLocked(st, "shop/redact", map[string]any{"shop_id": shopID(st), "shop_domain": st.info.Domain})
	return err
}
