package ai

import (
	"context"
	"fmt"
	"strings"

	"shopcard/domain"
	"shopcard/present"
	"shopcard/shopify"
)

// orderDetails is get_order_details. The guard is here, on the server: an
// order is described only when the email the agent gives is, once
// normalised as the sidebar normalises emails, the order's own email or
// its customer's. An order whose email does not match, or whose emails
// Shopify withheld, is treated exactly as no order at all, in the result,
// its text and its code, so that a wrong guess reveals nothing, not even
// that the order exists.
func (s *Service) orderDetails(ctx context.Context, all []domain.Store, args OrderDetailsArgs) (Result, int) {
	name, err := shopify.NormalizeOrderName(args.OrderNumber)
	if err != nil {
		return failed(CodeInvalidArguments, domain.MessageOf(err)), 0
	}
	email, err := domain.NormalizeEmail(args.CustomerEmail)
	if err != nil {
		return failed(CodeInvalidArguments, "customer_email is not an email address."), 0
	}
	stores, e := pickStores(all, args.Store)
	if e != nil {
		return Result{Text: e.Message, Err: e}, 0
	}
	answers := inEachStore(ctx, s.StoreTimeout, stores, func(ctx context.Context, st domain.Store) (*domain.OrderMatches, error) {
		return s.Lookups.FindOrders(ctx, st, name)
	})
	number := displayName(name)
	out := OrderDetailsResult{OrderNumber: number}
	found := 0
	var missed, failedStores []string
	for _, a := range answers {
		if a.err != nil {
			sa := unavailable(a.store, a.err)
			out.Stores = append(out.Stores, OrderDetailsStore{StoreAnswer: sa})
			failedStores = append(failedStores, sa.StoreName+" ("+sa.Message+")")
			continue
		}
		res := OrderDetailsStore{StoreAnswer: answerOf(a.store, OutcomeNoMatch)}
		for _, f := range a.value.Orders {
			if emailMatches(email, f) {
				res.Orders = append(res.Orders, orderDetailsOf(a.store, f))
			}
		}
		if len(res.Orders) > 0 {
			res.Outcome = OutcomeFound
			stale(&res.StoreAnswer, a.value.Stale, a.value.FetchedAt)
			found += len(res.Orders)
		} else {
			missed = append(missed, res.StoreName)
		}
		out.Stores = append(out.Stores, res)
	}
	if found == 0 {
		// The same words whether the order is missing or its email is
		// another: nothing here depends on what the store holds.
		msg := "No order " + number + " placed with that email address was found"
		if len(failedStores) > 0 {
			msg += " in the stores that answered; " + strings.Join(failedStores, ", ") + " did not answer, so try again in a moment"
		}
		msg += ". Order details are shared only when the email matches the one on the order: ask the customer for the email address they ordered with, and check the order number."
		code := CodeNotVerified
		if len(failedStores) == len(answers) {
			code = CodeUnavailable
		}
		return failed(code, msg), len(stores)
	}
	var b strings.Builder
	for _, st := range out.Stores {
		for _, o := range st.Orders {
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			writeOrderText(&b, st.StoreAnswer, o)
		}
	}
	if len(missed) > 0 {
		fmt.Fprintf(&b, "\n\nNo matching order in %s.", strings.Join(missed, ", "))
	}
	if len(failedStores) > 0 {
		fmt.Fprintf(&b, "\n\nNot checked: %s.", strings.Join(failedStores, ", "))
	}
	return Result{Text: b.String(), Structured: out}, len(stores)
}

// emailMatches is the guard: the email given equals the order's email or
// its customer's, both normalised the way the sidebar normalises a
// contact's email. An empty or unreadable email on the order matches
// nothing.
func emailMatches(email string, f domain.FoundOrder) bool {
	for _, candidate := range []string{f.Email, f.CustomerEmail} {
		if candidate == "" {
			continue
		}
		if norm, err := domain.NormalizeEmail(candidate); err == nil && norm == email {
			return true
		}
	}
	return false
}

// displayName writes a normalised order name as customers see it: digits
// alone get Shopify's default "#".
func displayName(name string) string {
	if strings.Trim(name, "0123456789") == "" {
		return "#" + name
	}
	return name
}

func money(m domain.Money) Money {
	return Money{Amount: m.Amount, Currency: m.Currency, Text: present.MoneyWords(m)}
}

func orderDetailsOf(st domain.Store, f domain.FoundOrder) OrderDetails {
	o := f.Order
	d := OrderDetails{
		Name:              o.Name,
		PlacedAt:          timestamp(o.CreatedAt),
		FinancialStatus:   present.FinancialWords(o.FinancialStatus),
		FulfillmentStatus: present.FulfillmentWords(o.FulfillmentStatus),
		Total:             money(o.Total),
		Return:            present.ReturnWords(o.ReturnStatus),
		AdminURL:          present.OrderAdminURL(st, o.LegacyResourceID),
		Items:             []Item{},
	}
	if o.CancelledAt != nil {
		d.CancelledAt = timestamp(*o.CancelledAt)
		d.CancelReason = present.CancelReasonWords(o.CancelReason)
	}
	// Items at their current quantities, as the sidebar shows them: one
	// refunded or edited away entirely is left out, and ItemCount counts
	// what the order holds now, so the rest are those not listed.
	listed := 0
	for _, li := range o.LineItems {
		if li.CurrentQuantity <= 0 {
			continue
		}
		d.Items = append(d.Items, Item{Title: li.Title, Variant: li.VariantTitle, Quantity: li.CurrentQuantity})
		listed += li.CurrentQuantity
	}
	d.MoreItems = max(0, o.ItemCount-listed)
	for _, fl := range o.Fulfillments {
		sh := Shipment{
			Status: present.ShipmentWords(fl), ShippedAt: timestamp(fl.CreatedAt),
			InTransitAt: timestamp(fl.InTransitAt), EstimatedDeliveryAt: timestamp(fl.EstimatedDeliveryAt), DeliveredAt: timestamp(fl.DeliveredAt),
		}
		for _, t := range fl.Tracking {
			if t.Company == "" && t.Number == "" && t.URL == "" {
				continue
			}
			sh.Tracking = append(sh.Tracking, Tracking{Company: t.Company, Number: t.Number, URL: present.SafeLink(t.URL)})
		}
		d.Shipments = append(d.Shipments, sh)
	}
	for _, r := range f.Refunds {
		d.Refunds = append(d.Refunds, Refund{At: timestamp(r.CreatedAt), Amount: money(r.Amount)})
	}
	if a := f.ShippingAddress; a != nil {
		addr := &Address{Name: a.Name, City: a.City, Region: a.Province, Zip: a.Zip, Country: a.Country, Lines: []string{}}
		for _, l := range []string{a.Address1, a.Address2} {
			if l != "" {
				addr.Lines = append(addr.Lines, l)
			}
		}
		d.ShippingAddress = addr
	}
	return d
}

// writeOrderText describes an order in a few lines: what the model needs
// to answer "where is my order?".
func writeOrderText(b *strings.Builder, st StoreAnswer, o OrderDetails) {
	fmt.Fprintf(b, "Order %s at %s (%s), placed %s: %s", o.Name, st.StoreName, st.Store, day(o.PlacedAt), strings.ToLower(o.FulfillmentStatus))
	if o.FinancialStatus != "" {
		fmt.Fprintf(b, ", %s", strings.ToLower(o.FinancialStatus))
	}
	fmt.Fprintf(b, ", total %s.", o.Total.Text)
	if o.CancelledAt != "" {
		fmt.Fprintf(b, " Cancelled %s", day(o.CancelledAt))
		if o.CancelReason != "" {
			fmt.Fprintf(b, " (%s)", o.CancelReason)
		}
		b.WriteString(".")
	}
	if st.Stale {
		fmt.Fprintf(b, " (Shopify didn't answer just now: this is as of %s.)", st.AsOf)
	}
	b.WriteString("\nItems: ")
	for i, it := range o.Items {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(b, "%d × %s", it.Quantity, it.Title)
		if it.Variant != "" {
			fmt.Fprintf(b, " (%s)", it.Variant)
		}
	}
	if o.MoreItems > 0 {
		fmt.Fprintf(b, "; and %d more", o.MoreItems)
	}
	b.WriteString(".")
	if len(o.Shipments) == 0 {
		b.WriteString("\nNot shipped yet.")
	}
	for _, sh := range o.Shipments {
		fmt.Fprintf(b, "\nShipment: %s, shipped %s", strings.ToLower(sh.Status), day(sh.ShippedAt))
		switch {
		case sh.DeliveredAt != "":
			fmt.Fprintf(b, ", delivered %s", day(sh.DeliveredAt))
		case sh.EstimatedDeliveryAt != "":
			fmt.Fprintf(b, ", expected %s", day(sh.EstimatedDeliveryAt))
		}
		for _, t := range sh.Tracking {
			fmt.Fprintf(b, "; %s", strings.TrimSpace(t.Company+" "+t.Number))
			if t.URL != "" {
				fmt.Fprintf(b, " %s", t.URL)
			}
		}
		b.WriteString(".")
	}
	for _, r := range o.Refunds {
		fmt.Fprintf(b, "\nRefunded %s", r.Amount.Text)
		if r.At != "" {
			fmt.Fprintf(b, " on %s", day(r.At))
		}
		b.WriteString(".")
	}
	if o.Return != "" {
		fmt.Fprintf(b, "\nReturn: %s.", strings.ToLower(o.Return))
	}
	if a := o.ShippingAddress; a != nil {
		parts := []string{a.Name}
		parts = append(parts, a.Lines...)
		parts = append(parts, strings.TrimSpace(a.City+" "+a.Zip), a.Region, a.Country)
		fmt.Fprintf(b, "\nShips to: %s.", joinNonEmpty(parts))
	}
}

func joinNonEmpty(parts []string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

// day writes an RFC 3339 time as a date, "2026-11-15".
func day(ts string) string {
	if len(ts) >= 10 {
		return ts[:10]
	}
	return ts
}
