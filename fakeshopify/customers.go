package fakeshopify

import "fmt"

// AddCustomer adds a customer to a store and returns it as stored, with its
// ID, normalized email and creation time filled in. Emails are unique per
// store, as on Shopify. It triggers customers/create.
func (s *Server) AddCustomer(shop string, c Customer) (Customer, error) {
	c = c.clone()
	c.Email = normalizeEmail(c.Email)
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.clock()
	}
	if _, err := parseAmount(c.AmountSpent); err != nil {
		return Customer{}, fmt.Errorf("fakeshopify: customer amount spent: %w", err)
	}

	var pending []pendingDelivery
	defer func() { s.dispatch(pending) }()
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return Customer{}, err
	}
	if c.ID == 0 {
		c.ID = s.nextCustomerID
		s.nextCustomerID++
	}
	if _, taken := st.customers[c.ID]; taken {
		return Customer{}, fmt.Errorf("fakeshopify: %s already has customer %d", st.info.Domain, c.ID)
	}
	if c.Email != "" {
		if _, taken := st.emails[c.Email]; taken {
			// Shopify's own words for the same conflict.
			return Customer{}, fmt.Errorf("fakeshopify: %s: Email has already been taken (%s)", st.info.Domain, c.Email)
		}
		st.emails[c.Email] = c.ID
	}
	stored := c.clone()
	st.customers[c.ID] = &stored
	pending, err = s.webhooksLocked(st, "customers/create", customerPayload(&stored, s.clock()))
	return c, err
}

// UpdateCustomer changes a customer at run time: edit receives a copy of
// the stored customer, and the edited copy replaces it (its ID cannot
// change). The next query sees the change. It returns the customer as
// stored, and triggers customers/update.
func (s *Server) UpdateCustomer(shop string, id uint64, edit func(*Customer)) (Customer, error) {
	var pending []pendingDelivery
	defer func() { s.dispatch(pending) }()
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return Customer{}, err
	}
	old, ok := st.customers[id]
	if !ok {
		return Customer{}, fmt.Errorf("fakeshopify: %s has no customer %d", st.info.Domain, id)
	}
	c := old.clone()
	edit(&c)
	c.ID = id
	c.Email = normalizeEmail(c.Email)
	if _, err := parseAmount(c.AmountSpent); err != nil {
		return Customer{}, fmt.Errorf("fakeshopify: customer amount spent: %w", err)
	}
	if c.Email != old.Email && c.Email != "" {
		if _, taken := st.emails[c.Email]; taken {
			return Customer{}, fmt.Errorf("fakeshopify: %s: Email has already been taken (%s)", st.info.Domain, c.Email)
		}
	}
	delete(st.emails, old.Email)
	if c.Email != "" {
		st.emails[c.Email] = id
	}
	stored := c.clone()
	st.customers[id] = &stored
	pending, err = s.webhooksLocked(st, "customers/update", customerPayload(&stored, s.clock()))
	return c, err
}

// DeleteCustomer deletes a customer who has no orders (Shopify refuses to
// delete one who has), and triggers customers/delete, whose payload names
// the customer's ID but not their email.
func (s *Server) DeleteCustomer(shop string, id uint64) error {
	var pending []pendingDelivery
	defer func() { s.dispatch(pending) }()
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return err
	}
	c, ok := st.customers[id]
	if !ok {
		return fmt.Errorf("fakeshopify: %s has no customer %d", st.info.Domain, id)
	}
	if len(st.customerOrdersLocked(id)) > 0 {
		return fmt.Errorf("fakeshopify: %s: Error deleting customer: customer %d has orders", st.info.Domain, id)
	}
	delete(st.emails, c.Email)
	delete(st.customers, id)
	pending, err = s.webhooksLocked(st, "customers/delete", customerDeletePayload(id))
	return err
}

// CustomerByEmail finds a store's customer by email, matched the way
// Shopify matches it (case and whitespace do not matter).
func (s *Server) CustomerByEmail(shop, email string) (Customer, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return Customer{}, false
	}
	id, ok := st.emails[normalizeEmail(email)]
	if !ok {
		return Customer{}, false
	}
	return st.customers[id].clone(), true
}
