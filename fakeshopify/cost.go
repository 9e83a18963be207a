package fakeshopify

import (
	"math"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// The fake prices queries by its own reading of Shopify's cost rule, kept
// apart from the client's estimate (shopify.RequestedCost) so that tests
// of the client against the fake check the client rather than agree with
// it by construction. Both readings answer to the same evidence: the
// costs Shopify recorded for real queries, in
// shopify/testdata/captured_costs.json.
//
// As the fake reads it, a field is priced by what it returns:
//
//	scalar or enum        0
//	object                1, and what is selected on it
//	                      (money and PageInfo 0, Count 10)
//	interface or union    as its dearest possible type
//	list [T]              one T, however many are asked for
//	connection            2 + k(n) × one entry (nodes, edges, or both),
//	                      k(n) = ⌊2 ln n⌋ but at least 1, n = first or last
//	mutation field        10 (fulfillmentTrackingInfoUpdate and its V2: 50),
//	                      its payload and the objects directly in it free
//
// What a query requests is priced from the query, with n its page size.
// What it actually cost is priced from the answer: n is how many entries
// came back, a list is its dearest element, a null object is its own
// point, and what sits under a null is not charged. Actual is therefore
// never above requested, and Shopify refunds the difference.

// maxQueryCost is the most Shopify lets one query request.
const maxQueryCost = 1000

// largestPage stands in for a page size the fake cannot read, so an
// unreadable size never makes a query cheaper.
const largestPage = 250

// ownPrice is what an object of each of these types costs by itself, where
// it is not 1. Money lives on its record; PageInfo is part of the
// connection's 2; a count is a query of its own.
var ownPrice = map[string]int{"MoneyV2": 0, "MoneyBag": 0, "PageInfo": 0, "Count": 10}

// mutationPrice is what a mutation field costs where it is not 10.
var mutationPrice = map[string]int{"fulfillmentTrackingInfoUpdate": 50, "fulfillmentTrackingInfoUpdateV2": 50}

// entriesCharged is how many entries of a page Shopify charges for when n
// of them are asked for or came back.
func entriesCharged(n int) int {
	if n <= 0 {
		return 0
	}
	return max(1, int(math.Floor(2*math.Log(float64(n)))))
}

// meter prices one operation. A nil answer prices the request; otherwise
// the answer's data is priced.
type meter struct {
	schema   *ast.Schema
	vars     map[string]any
	answered bool
}

// requestedCost is what Shopify reserves from the bucket before running op.
func requestedCost(schema *ast.Schema, op *ast.OperationDefinition, vars map[string]any) int {
	return meter{schema: schema, vars: vars}.operation(op, nil)
}

// actualCost is what op cost, given the data it answered.
func actualCost(schema *ast.Schema, op *ast.OperationDefinition, vars map[string]any, data any) int {
	obj, _ := data.(map[string]any)
	return meter{schema: schema, vars: vars, answered: true}.operation(op, obj)
}

func (m meter) operation(op *ast.OperationDefinition, data map[string]any) int {
	if op == nil {
		return 0
	}
	root := m.schema.Query
	if op.Operation == ast.Mutation {
		root = m.schema.Mutation
	}
	total := 0
	for _, fs := range m.fieldsOn(root, op.SelectionSet) {
		v := data[fs[0].Alias]
		if op.Operation != ast.Mutation {
			total += m.price(fs, v, false)
			continue
		}
		p, ok := mutationPrice[fs[0].Name]
		if !ok {
			p = 10
		}
		// The payload comes with the mutation, and so do the objects it
		// holds directly: only what those select is charged.
		payload, _ := v.(map[string]any)
		if m.answered && payload == nil {
			total += p
			continue
		}
		for _, inner := range m.fieldsOn(m.typeOf(fs[0]), subSelections(fs)...) {
			total += m.price(inner, payload[inner[0].Alias], true)
		}
		total += p
	}
	return total
}

// price is what one field costs, fs being every selection of it under one
// response key (GraphQL runs them as one field). free waives the field's
// own point, for what a mutation returns.
func (m meter) price(fs []*ast.Field, v any, free bool) int {
	t := m.typeOf(fs[0])
	if t == nil || t.Kind == ast.Scalar || t.Kind == ast.Enum {
		return 0
	}
	list := fs[0].Definition.Type.Elem != nil
	if !list && strings.HasSuffix(t.Name, "Connection") {
		return m.page(fs, t, v)
	}
	own := m.own(t)
	if free {
		own = 0
	}
	if !m.answered {
		return own + m.selected(t, subSelections(fs), nil)
	}
	if list {
		items, _ := v.([]any)
		dearest := 0
		for _, it := range items {
			obj, _ := it.(map[string]any)
			dearest = max(dearest, m.selected(t, subSelections(fs), obj))
		}
		return own + dearest
	}
	obj, _ := v.(map[string]any)
	if obj == nil {
		return own
	}
	return own + m.selected(t, subSelections(fs), obj)
}

// page prices a connection: 2, plus what one entry selects (under nodes,
// and under edges, whose node is an object like any other) for each entry
// charged, plus anything else selected on the connection once.
func (m meter) page(fs []*ast.Field, conn *ast.Definition, v any) int {
	answer, _ := v.(map[string]any)
	if m.answered && answer == nil {
		return 2
	}
	n := 0 // entries that came back
	if !m.answered {
		n = m.pageSize(fs[0])
	}
	entry, rest := 0, 0
	for _, part := range m.fieldsOn(conn, subSelections(fs)...) {
		t := m.typeOf(part[0])
		if t == nil || (part[0].Name != "nodes" && part[0].Name != "edges") {
			rest += m.price(part, answer[part[0].Alias], false)
			continue
		}
		if t.Kind == ast.Scalar || t.Kind == ast.Enum {
			continue // a page of strings (productTags) is the connection's 2
		}
		own := 0 // an edge is free
		if part[0].Name == "nodes" {
			own = m.own(t)
		}
		if !m.answered {
			entry += own + m.selected(t, subSelections(part), nil)
			continue
		}
		items, _ := answer[part[0].Alias].([]any)
		n = max(n, len(items))
		dearest := 0
		for _, it := range items {
			obj, _ := it.(map[string]any)
			dearest = max(dearest, own+m.selected(t, subSelections(part), obj))
		}
		entry += dearest
	}
	return 2 + entriesCharged(n)*entry + rest
}

// selected prices what is selected on a value of type t. An interface or
// union is priced as the concrete type the answer names, or, not knowing
// it, as the dearest of its possible types.
func (m meter) selected(t *ast.Definition, sets []ast.SelectionSet, obj map[string]any) int {
	if t.Kind == ast.Object {
		return m.onType(t, sets, obj)
	}
	if name, ok := obj["__typename"].(string); ok && m.schema.Types[name] != nil {
		return m.onType(m.schema.Types[name], sets, obj)
	}
	dearest := 0
	for _, pt := range m.schema.GetPossibleTypes(t) {
		dearest = max(dearest, m.onType(pt, sets, obj))
	}
	return dearest
}

func (m meter) onType(t *ast.Definition, sets []ast.SelectionSet, obj map[string]any) int {
	total := 0
	for _, fs := range m.fieldsOn(t, sets...) {
		total += m.price(fs, obj[fs[0].Alias], false)
	}
	return total
}

// fieldsOn lists the fields a value of object type t executes for sets,
// in order, each with every selection under its response key: fragments
// count where t meets their type condition.
func (m meter) fieldsOn(t *ast.Definition, sets ...ast.SelectionSet) [][]*ast.Field {
	var order []string
	byKey := map[string][]*ast.Field{}
	var visit func(ast.SelectionSet)
	visit = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if _, seen := byKey[s.Alias]; !seen {
					order = append(order, s.Alias)
				}
				byKey[s.Alias] = append(byKey[s.Alias], s)
			case *ast.InlineFragment:
				if m.meets(t, s.TypeCondition) {
					visit(s.SelectionSet)
				}
			case *ast.FragmentSpread:
				if s.Definition != nil && m.meets(t, s.Definition.TypeCondition) {
					visit(s.Definition.SelectionSet)
				}
			}
		}
	}
	for _, set := range sets {
		visit(set)
	}
	out := make([][]*ast.Field, len(order))
	for i, k := range order {
		out[i] = byKey[k]
	}
	return out
}

// meets reports whether type t satisfies a fragment's type condition.
func (m meter) meets(t *ast.Definition, condition string) bool {
	if condition == "" || t == nil || condition == t.Name {
		return true
	}
	for _, iface := range m.schema.GetImplements(t) {
		if iface.Name == condition {
			return true
		}
	}
	return false
}

// own is what an object of type t costs by itself.
func (m meter) own(t *ast.Definition) int {
	if p, ok := ownPrice[t.Name]; ok {
		return p
	}
	return 1
}

func (m meter) typeOf(f *ast.Field) *ast.Definition {
	if f.Definition == nil || f.Definition.Type == nil {
		return nil
	}
	return m.schema.Types[f.Definition.Type.Name()]
}

func subSelections(fs []*ast.Field) []ast.SelectionSet {
	sets := make([]ast.SelectionSet, len(fs))
	for i, f := range fs {
		sets[i] = f.SelectionSet
	}
	return sets
}

// pageSize is the page a connection asks for: the larger of first and
// last.
func (m meter) pageSize(f *ast.Field) int {
	n := -1
	for _, a := range f.Arguments {
		if a.Name != "first" && a.Name != "last" {
			continue
		}
		size, ok := m.number(a.Value)
		if !ok {
			return largestPage
		}
		n = max(n, size)
	}
	if n < 0 {
		return largestPage
	}
	return n
}

func (m meter) number(v *ast.Value) (int, bool) {
	switch {
	case v == nil:
		return 0, false
	case v.Kind == ast.Variable:
		switch x := m.vars[v.Raw].(type) {
		case float64: // variables arrive as JSON
			return int(x), x == math.Trunc(x)
		case int:
			return x, true
		case nil:
			if d := v.VariableDefinition; d != nil && d.DefaultValue != nil {
				return m.number(d.DefaultValue)
			}
		}
		return 0, false
	case v.Kind == ast.IntValue:
		var n int
		for _, c := range v.Raw {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	return 0, false
}
