package views

// OrderSearch is the answer to a rep's "Find an order": the orders with
// that name in every connected store, or why there are none.
type OrderSearch struct {
	// Name is the order name searched for, as Shopify writes it: "#1042".
	Name string
	// Notice replaces the results: the query could not be searched for,
	// or no store has such an order (Empty).
	Notice string
	Empty  bool
	Stores []OrderSearchStore
}

// OrderSearchStore is one store's matches, or its failure note.
type OrderSearchStore struct {
	ID       string // DOM id
	Domain   string
	AdminURL string
	Orders   []FoundOrderRow
	// Notice says why the store could not be searched; Orders is empty.
	Notice string
}

// FoundOrderRow is an order found by its name, drawn by the order list's
// own row component, with a label when it was placed with an email that
// is not the contact's.
type FoundOrderRow struct {
	Row OrderRow
	// PlacedWith is "Placed with ada@other.example" when the order's
	// emails are not the contact's; empty otherwise.
	PlacedWith string
}
