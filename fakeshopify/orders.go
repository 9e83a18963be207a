package fakeshopify

import (
	"fmt"
	"reflect"
	"slices"
	"time"
)

// AddOrder adds an order to a store and returns it as stored, with its ID,
// number, name and timestamps filled in. A non-zero CustomerID must name a
// customer of the same store. It triggers orders/create.
func (s *Server) AddOrder(shop string, o Order) (Order, error) {
	o = o.clone()
	now := s.clock()
	if o.CreatedAt.IsZero() {
		o.CreatedAt = now
	}
	if o.UpdatedAt.IsZero() {
		o.UpdatedAt = o.CreatedAt
	}
	if o.FulfillmentStatus == "" {
		o.FulfillmentStatus = "UNFULFILLED"
	}
	if o.ReturnStatus == "" {
		o.ReturnStatus = "NO_RETURN"
	}
	if o.OriginalTotal == "" {
		o.OriginalTotal = o.Total
	}

	var pending []pendingDelivery
	defer func() { s.dispatch(pending) }()
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return Order{}, err
	}
	if o.CustomerID != 0 {
		c, ok := st.customers[o.CustomerID]
		if !ok {
			return Order{}, fmt.Errorf("fakeshopify: %s has no customer %d", st.info.Domain, o.CustomerID)
		}
		if o.Email == "" {
			o.Email = c.Email
		}
	}
	if o.Number == 0 {
		o.Number = st.nextNumber
	}
	if o.Name == "" {
		o.Name = fmt.Sprintf("%s%d", st.info.OrderPrefix, o.Number)
	}
	for i := range o.Returns {
		if o.Returns[i].Name == "" {
			o.Returns[i].Name = fmt.Sprintf("%s-R%d", o.Name, i+1)
		}
		if o.Returns[i].CreatedAt.IsZero() {
			o.Returns[i].CreatedAt = o.UpdatedAt
		}
	}
	if err := o.validate(); err != nil {
		return Order{}, fmt.Errorf("fakeshopify: %s: %w", st.info.Domain, err)
	}
	if o.ID == 0 {
		o.ID = s.nextOrderID
		s.nextOrderID++
	}
	if _, taken := st.orders[o.ID]; taken {
		return Order{}, fmt.Errorf("fakeshopify: %s already has order %d", st.info.Domain, o.ID)
	}
	st.nextNumber = max(st.nextNumber, o.Number+1)
	stored := o.clone()
	st.orders[o.ID] = &stored
	st.byCustomer[stored.CustomerID] = append(st.byCustomer[stored.CustomerID], stored.ID)
	st.indexEmailLocked(stored.ID, "", stored.Email)
	pending, err = s.webhooksLocked(st, "orders/create", orderPayload(st, &stored))
	return o, err
}

// UpdateOrder changes an order at run time: edit receives a copy of the
// stored order, and the edited copy replaces it (its ID and customer
// cannot change). The next query sees the change. UpdatedAt moves to the
// server's clock unless edit set it. It triggers the webhooks Shopify sends
// for such a change: orders/updated always; orders/cancelled,
// orders/fulfilled or orders/partially_fulfilled when the order became so;
// fulfillments/create and fulfillments/update for new and changed
// shipments; orders/edited when its line items changed; refunds/create
// when items were removed.
func (s *Server) UpdateOrder(shop string, id uint64, edit func(*Order)) (Order, error) {
	now := s.clock()
	var pending []pendingDelivery
	defer func() { s.dispatch(pending) }()
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return Order{}, err
	}
	old, ok := st.orders[id]
	if !ok {
		return Order{}, fmt.Errorf("fakeshopify: %s has no order %d", st.info.Domain, id)
	}
	o := old.clone()
	edit(&o)
	o.ID, o.CustomerID = id, old.CustomerID
	if o.UpdatedAt.Equal(old.UpdatedAt) {
		o.UpdatedAt = now
	}
	if err := o.validate(); err != nil {
		return Order{}, fmt.Errorf("fakeshopify: %s: %w", st.info.Domain, err)
	}
	stored := o.clone()
	st.orders[id] = &stored
	st.indexEmailLocked(id, old.Email, stored.Email)
	for _, w := range orderChangeWebhooks(st, old, &stored, now) {
		more, err := s.webhooksLocked(st, w.topic, w.payload)
		if err != nil {
			return o, err
		}
		pending = append(pending, more...)
	}
	return o, nil
}

type webhook struct {
	topic   string
	payload any
}

// orderChangeWebhooks lists the webhooks an order change triggers.
func orderChangeWebhooks(st *store, old, o *Order, now time.Time) []webhook {
	order := orderPayload(st, o)
	out := []webhook{{"orders/updated", order}}
	if old.CancelledAt.IsZero() && !o.CancelledAt.IsZero() {
		out = append(out, webhook{"orders/cancelled", order})
	}
	if o.FulfillmentStatus != old.FulfillmentStatus {
		switch o.FulfillmentStatus {
		case "FULFILLED":
			out = append(out, webhook{"orders/fulfilled", order})
		case "PARTIALLY_FULFILLED":
			out = append(out, webhook{"orders/partially_fulfilled", order})
		}
	}
	for i := range o.Fulfillments {
		switch {
		case i >= len(old.Fulfillments):
			out = append(out, webhook{"fulfillments/create", fulfillmentPayload(o, i)})
		case !reflect.DeepEqual(o.Fulfillments[i], old.Fulfillments[i]):
			out = append(out, webhook{"fulfillments/update", fulfillmentPayload(o, i)})
		}
	}
	if !reflect.DeepEqual(o.LineItems, old.LineItems) {
		out = append(out, webhook{"orders/edited", map[string]any{"order_edit": map[string]any{
			"id": o.ID*10 + 1, "order_id": o.ID, "created_at": restTime(now),
		}}})
		var refunded []map[string]any
		for i, li := range o.LineItems {
			before := 0
			if i < len(old.LineItems) {
				before = old.LineItems[i].RemovedQuantity
			}
			if li.RemovedQuantity > before {
				refunded = append(refunded, map[string]any{"line_item_id": o.ID*1000 + uint64(i), "quantity": li.RemovedQuantity - before})
			}
		}
		if len(refunded) > 0 {
			out = append(out, webhook{"refunds/create", map[string]any{
				"id": uint64(now.UnixNano()) % 1e12, "order_id": o.ID, "created_at": restTime(now), "refund_line_items": refunded,
			}})
		}
	}
	return out
}

// Orders returns the orders a store holds for a customer, newest first,
// whatever the token's scopes would let a client see.
func (s *Server) Orders(shop string, customerID uint64) []Order {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return nil
	}
	held := st.customerOrdersLocked(customerID)
	sortOrders(held, "CREATED_AT", true)
	out := make([]Order, len(held))
	for i, o := range held {
		out[i] = o.clone()
	}
	return out
}

// customerOrdersLocked returns the stored order records of a customer, in
// no particular order. The caller holds the server's lock.
func (st *store) customerOrdersLocked(customerID uint64) []*Order {
	var out []*Order
	for _, id := range st.byCustomer[customerID] {
		if o, ok := st.orders[id]; ok && o.CustomerID == customerID {
			out = append(out, o)
		}
	}
	return out
}

// indexEmailLocked moves order id from the index entry of email from to
// that of email to.
func (st *store) indexEmailLocked(id uint64, from, to string) {
	from, to = normalizeEmail(from), normalizeEmail(to)
	if from == to && from != "" {
		return
	}
	if from != "" {
		ids := st.byEmail[from]
		if i := slices.Index(ids, id); i >= 0 {
			st.byEmail[from] = slices.Delete(ids, i, i+1)
		}
	}
	if to != "" {
		st.byEmail[to] = append(st.byEmail[to], id)
	}
}

// ordersWithEmailLocked are the orders placed with email, by the index.
func (st *store) ordersWithEmailLocked(email string) []*Order {
	var out []*Order
	for _, id := range st.byEmail[normalizeEmail(email)] {
		if o, ok := st.orders[id]; ok {
			out = append(out, o)
		}
	}
	return out
}
