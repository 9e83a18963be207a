package fakeshopify

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// actualCost prices what a query returned, by the same classic rule as
// shopify.RequestedCost but counting the nodes and list elements that came
// back instead of the first argument. A query that finds fewer orders
// than it asked for therefore costs less than requested, and Shopify gives
// the difference back to the bucket. An object that came back null still
// costs its own point, as in captures/customer-by-identifier.json.
func actualCost(op *ast.OperationDefinition, data any) int {
	obj, _ := data.(map[string]any)
	total := actualSelections(op.SelectionSet, obj)
	if op.Operation == ast.Mutation {
		total += 10 * len(op.SelectionSet)
	}
	return total
}

func actualSelections(set ast.SelectionSet, obj map[string]any) int {
	if obj == nil {
		return 0
	}
	total := 0
	forEachField(set, func(f *ast.Field) {
		total += actualField(f, obj[f.Alias])
	})
	return total
}

func actualField(f *ast.Field, v any) int {
	if f.Definition == nil || f.Definition.Type == nil || len(f.SelectionSet) == 0 {
		return 0 // scalar or enum
	}
	t := f.Definition.Type
	switch {
	case strings.HasSuffix(t.Name(), "Connection") && t.Elem == nil:
		conn, _ := v.(map[string]any)
		return 2 + actualNodes(f.SelectionSet, conn)
	case t.Elem != nil:
		items, _ := v.([]any)
		if f.Arguments.ForName("first") == nil {
			// Priced as one element when requested; keep it so.
			largest := 0
			for _, it := range items {
				m, _ := it.(map[string]any)
				largest = max(largest, actualSelections(f.SelectionSet, m))
			}
			return 1 + largest
		}
		total := 0
		for _, it := range items {
			m, _ := it.(map[string]any)
			total += 1 + actualSelections(f.SelectionSet, m)
		}
		return total
	default:
		m, _ := v.(map[string]any)
		return 1 + actualSelections(f.SelectionSet, m)
	}
}

// actualNodes prices the nodes a connection returned: the larger of what
// came back under nodes and under edges.node, mirroring the requested rule.
func actualNodes(set ast.SelectionSet, conn map[string]any) int {
	largest := 0
	forEachField(set, func(f *ast.Field) {
		items, _ := conn[f.Alias].([]any)
		total := 0
		switch f.Name {
		case "nodes":
			for _, it := range items {
				m, _ := it.(map[string]any)
				total += 1 + actualSelections(f.SelectionSet, m)
			}
		case "edges":
			for _, it := range items {
				edge, _ := it.(map[string]any)
				forEachField(f.SelectionSet, func(nf *ast.Field) {
					if nf.Name == "node" {
						m, _ := edge[nf.Alias].(map[string]any)
						total += 1 + actualSelections(nf.SelectionSet, m)
					}
				})
			}
		}
		largest = max(largest, total)
	})
	return largest
}
