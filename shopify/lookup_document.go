package shopify

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
)

// A sidebar section's lookup is one GraphQL document per store, whatever
// the contact: for each of the contact's emails, the customer with that
// email and their newest orders (CustomerWithOrders' customer field) and,
// beside it, the orders placed with the email by guest checkout
// (GuestOrders' orders field), which the client uses only when no customer
// matched. Asking both at once costs one round trip instead of two in
// sequence for a contact with no customer record, and the guest search
// requests 56 points, so one email still requests 124, well under the
// 250 that lets eight cold sections share a Standard bucket.
//
// The document is composed from operations.graphql rather than written
// again, so that what the sidebar asks for is stated once: each email's
// pair of fields is copied from those two operations under the aliases
// customer<i> and guests<i>, with their variables renamed to email<i> and
// guestQuery<i>. genqlient cannot alias a field a variable number of
// times, so the client sends it with its own request and decodes the
// answer once, into lookupAnswer (see decodeLookup).

// lookupOperation names a lookup document of n emails.
func lookupOperation(n int) string { return "SidebarLookup" + strconv.Itoa(n) }

// maxEmailsPerDocument caps the emails one document carries: with it, a
// document requests well under Shopify's 1000-point limit (8 × 124 = 992
// would leave no room for a change to the operations), and a contact has
// rarely more.
const maxEmailsPerDocument = 6

// lookupDocuments are composed on first use, each count on its own: most
// contacts have one email.
var lookupDocuments [maxEmailsPerDocument + 1]struct {
	once sync.Once
	text string
}

// lookupDocument is the document for n emails, 1 ≤ n ≤ maxEmailsPerDocument.
func lookupDocument(n int) string {
	d := &lookupDocuments[n]
	d.once.Do(func() { d.text = composeLookup(n) })
	return d.text
}

// lookupSource is operations.graphql, parsed once for every composition.
var lookupSource = sync.OnceValue(func() *ast.QueryDocument {
	src, errs := gqlparser.LoadQuery(Schema(), OperationsSDL)
	if len(errs) > 0 {
		panic("shopify: operations.graphql does not validate: " + errs.Error())
	}
	return src
})

// LookupDocument is the GraphQL document the sidebar sends to look up n
// emails in one store (1 ≤ n ≤ MaxEmailsPerDocument), with its operation
// name, for tests that check it against the real schema and price it.
func LookupDocument(n int) (opName, query string) { return lookupOperation(n), lookupDocument(n) }

// LookupVariables are the variables LookupDocument(len(emails)) is sent with.
func LookupVariables(emails []string) map[string]any { return lookupVariables(emails) }

// MaxEmailsPerDocument is how many emails one lookup document carries.
const MaxEmailsPerDocument = maxEmailsPerDocument

// composeLookup builds the document for n emails from operations.graphql.
// It panics if the operations it copies are not as it expects: they are
// embedded and tested, so that is a build defect.
func composeLookup(n int) string {
	src := lookupSource()
	customer := onlyField(src, "CustomerWithOrders")
	guests := onlyField(src, "GuestOrders")
	op := &ast.OperationDefinition{Operation: ast.Query, Name: lookupOperation(n)}
	for i := range n {
		email, query := "email"+strconv.Itoa(i), "guestQuery"+strconv.Itoa(i)
		op.VariableDefinitions = append(op.VariableDefinitions,
			&ast.VariableDefinition{Variable: email, Type: ast.NonNullNamedType("String", nil)},
			&ast.VariableDefinition{Variable: query, Type: ast.NonNullNamedType("String", nil)})
		op.SelectionSet = append(op.SelectionSet,
			renamed(customer, "customer"+strconv.Itoa(i), map[string]string{"email": email}),
			renamed(guests, "guests"+strconv.Itoa(i), map[string]string{"query": query}))
	}
	doc := &ast.QueryDocument{Operations: ast.OperationList{op}}
	for _, f := range src.Fragments {
		if f.Name == "OrderSummary" || f.Name == "ShipmentSummary" {
			doc.Fragments = append(doc.Fragments, f)
		}
	}
	var b strings.Builder
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatQueryDocument(doc)
	text := b.String()
	if _, errs := gqlparser.LoadQuery(Schema(), text); len(errs) > 0 {
		panic("shopify: the composed lookup does not validate: " + errs.Error())
	}
	return text
}

// onlyField is the one root field an operation selects.
func onlyField(doc *ast.QueryDocument, name string) *ast.Field {
	op := doc.Operations.ForName(name)
	if op == nil || len(op.SelectionSet) != 1 {
		panic("shopify: operations.graphql must define " + name + " with one root field")
	}
	f, ok := op.SelectionSet[0].(*ast.Field)
	if !ok {
		panic("shopify: " + name + "'s root selection is not a field")
	}
	return f
}

// renamed copies a root field under a new alias, with its variables
// renamed; its selections are shared, as they are only printed.
func renamed(f *ast.Field, alias string, vars map[string]string) *ast.Field {
	out := &ast.Field{Alias: alias, Name: f.Name, SelectionSet: f.SelectionSet, Directives: f.Directives}
	for _, a := range f.Arguments {
		out.Arguments = append(out.Arguments, &ast.Argument{Name: a.Name, Value: renamedValue(a.Value, vars)})
	}
	return out
}

func renamedValue(v *ast.Value, vars map[string]string) *ast.Value {
	if v == nil {
		return nil
	}
	out := &ast.Value{Raw: v.Raw, Kind: v.Kind}
	if v.Kind == ast.Variable {
		if to, ok := vars[v.Raw]; ok {
			out.Raw = to
		}
	}
	for _, c := range v.Children {
		out.Children = append(out.Children, &ast.ChildValue{Name: c.Name, Value: renamedValue(c.Value, vars)})
	}
	return out
}

// lookupVariables are the variables of the document for emails.
func lookupVariables(emails []string) map[string]any {
	vars := make(map[string]any, 2*len(emails))
	for i, e := range emails {
		vars["email"+strconv.Itoa(i)] = e
		vars["guestQuery"+strconv.Itoa(i)] = EmailQuery(e)
	}
	return vars
}

// lookupAnswer is the data of a lookup document's answer, decoded in one
// pass by encoding/json: each alias straight into the type that holds it
// (a field per alias, as many as maxEmailsPerDocument allows). An email's
// guest search is kept undecoded until it is known to be needed, which it
// is only when no customer matched: it then finds the customer's own
// orders, which the answer already holds.
type lookupAnswer struct {
	Customer0 *lookupCustomer `json:"customer0"`
	Guests0   lazyGuests      `json:"guests0"`
	Customer1 *lookupCustomer `json:"customer1"`
	Guests1   lazyGuests      `json:"guests1"`
	Customer2 *lookupCustomer `json:"customer2"`
	Guests2   lazyGuests      `json:"guests2"`
	Customer3 *lookupCustomer `json:"customer3"`
	Guests3   lazyGuests      `json:"guests3"`
	Customer4 *lookupCustomer `json:"customer4"`
	Guests4   lazyGuests      `json:"guests4"`
	Customer5 *lookupCustomer `json:"customer5"`
	Guests5   lazyGuests      `json:"guests5"`
}

// email is the answer for email i: its customer, or nil, and its guest
// search, still undecoded.
func (a *lookupAnswer) email(i int) (*lookupCustomer, *lazyGuests) {
	switch i {
	case 0:
		return a.Customer0, &a.Guests0
	case 1:
		return a.Customer1, &a.Guests1
	case 2:
		return a.Customer2, &a.Guests2
	case 3:
		return a.Customer3, &a.Guests3
	case 4:
		return a.Customer4, &a.Guests4
	case 5:
		return a.Customer5, &a.Guests5
	}
	// A document never carries more emails than lookupAnswer has fields
	// for (TestLookupAnswerHoldsEveryEmail).
	panic("shopify: lookupAnswer has no field for email " + strconv.Itoa(i))
}

// lazyGuests holds a guest search's answer as it came, until decode.
type lazyGuests struct{ raw []byte }

// UnmarshalJSON keeps a copy of the value, as encoding/json requires.
func (g *lazyGuests) UnmarshalJSON(b []byte) error {
	g.raw = append(g.raw[:0], b...)
	return nil
}

// decode reads the guest search; nil when Shopify answered null or nothing.
func (g *lazyGuests) decode() (*lookupGuests, error) {
	if len(g.raw) == 0 || string(g.raw) == "null" {
		return nil, nil
	}
	var out lookupGuests
	if err := json.Unmarshal(g.raw, &out); err != nil {
		return nil, fmt.Errorf("guest orders: %w", err)
	}
	return &out, nil
}

// lookupCustomer is CustomerWithOrders' customer. It embeds genqlient's
// type for the customer's own fields and replaces its orders, whose
// generated type decodes every order twice (once for its own fields, once
// for the OrderSummary fragment).
type lookupCustomer struct {
	CustomerWithOrdersCustomer
	Orders struct {
		Nodes []lookupOrder `json:"nodes"`
	} `json:"orders"`
}

// lookupGuests is GuestOrders' orders connection.
type lookupGuests struct {
	Nodes []lookupOrder `json:"nodes"`
}

// lookupOrder is one OrderSummary (and, in a guest search, its email),
// decoded once. The shallower Fulfillments replaces OrderSummary's, whose
// generated type decodes each shipment twice too.
type lookupOrder struct {
	Email *string `json:"email"`
	OrderSummary
	Fulfillments []ShipmentSummary `json:"fulfillments"`
}
