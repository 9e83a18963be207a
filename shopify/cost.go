package shopify

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// RequestedCost computes an operation's requested cost by Shopify's classic
// rule: scalars and enums cost 0, objects 1, a connection 2 + n × (cost of
// one node) where n is its first or last argument, and mutations 10 per
// root field. Lists of objects that take a first argument cost n × (cost of
// one element); other lists count as one element, since Shopify bounds them
// itself. Fragments are expanded. Shopify rejects a query above
// MaxQueryCost before running it.
//
// The operation must already be validated against the schema.
func RequestedCost(op *ast.OperationDefinition, vars map[string]any) int {
	if op == nil {
		return 0
	}
	c := costCounter{vars: vars}
	total := c.selections(op.SelectionSet)
	if op.Operation == ast.Mutation {
		total += 10 * len(op.SelectionSet)
	}
	return total
}

// MaxQueryCost is the most a single query may request.
const MaxQueryCost = 1000

type costCounter struct {
	vars map[string]any
}

func (c costCounter) selections(set ast.SelectionSet) int {
	total := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			total += c.field(s)
		case *ast.InlineFragment:
			total += c.selections(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				total += c.selections(s.Definition.SelectionSet)
			}
		}
	}
	return total
}

func (c costCounter) field(f *ast.Field) int {
	if f.Definition == nil || f.Definition.Type == nil {
		return 0
	}
	if len(f.SelectionSet) == 0 {
		return 0 // scalar or enum
	}
	t := f.Definition.Type
	switch {
	case strings.HasSuffix(t.Name(), "Connection") && t.Elem == nil:
		// The connection's own selections (nodes, edges) were costed as
		// single elements; multiply by the page size.
		return 2 + c.pageSize(f)*c.connectionNode(f.SelectionSet)
	case t.Elem != nil:
		n := 1
		if arg := f.Arguments.ForName("first"); arg != nil {
			n = c.intValue(arg.Value)
		}
		return n * (1 + c.selections(f.SelectionSet))
	default:
		return 1 + c.selections(f.SelectionSet)
	}
}

// connectionNode is the cost of one node of a connection: the larger of
// what is selected under nodes and under edges.node.
func (c costCounter) connectionNode(set ast.SelectionSet) int {
	largest := 0
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				switch s.Name {
				case "nodes", "node":
					if v := 1 + c.selections(s.SelectionSet); v > largest {
						largest = v
					}
				case "edges":
					walk(s.SelectionSet)
				}
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				if s.Definition != nil {
					walk(s.Definition.SelectionSet)
				}
			}
		}
	}
	walk(set)
	return largest
}

func (c costCounter) pageSize(f *ast.Field) int {
	for _, name := range []string{"first", "last"} {
		if arg := f.Arguments.ForName(name); arg != nil {
			return c.intValue(arg.Value)
		}
	}
	return 0
}

func (c costCounter) intValue(v *ast.Value) int {
	if v == nil {
		return 0
	}
	if v.Kind == ast.Variable {
		switch n := c.vars[v.Raw].(type) {
		case int:
			return n
		case int64:
			return int(n)
		case float64:
			return int(n)
		}
		return 0
	}
	raw, err := v.Value(nil)
	if err != nil {
		return 0
	}
	if n, ok := raw.(int64); ok {
		return int(n)
	}
	return 0
}
