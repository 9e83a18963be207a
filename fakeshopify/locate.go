package fakeshopify

import "github.com/vektah/gqlparser/v2/ast"

// forEachField calls fn for every field of a selection set, looking inside
// fragments (the subset schema has no interfaces, so every fragment
// applies).
func forEachField(set ast.SelectionSet, fn func(*ast.Field)) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			fn(s)
		case *ast.InlineFragment:
			forEachField(s.SelectionSet, fn)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				forEachField(s.Definition.SelectionSet, fn)
			}
		}
	}
}

// walkFields calls fn for every field at any depth of a selection set.
func walkFields(set ast.SelectionSet, fn func(*ast.Field)) {
	forEachField(set, func(f *ast.Field) {
		fn(f)
		walkFields(f.SelectionSet, fn)
	})
}

// locate finds where in the query the field at a response path (aliases
// and list indices) was selected.
func locate(set ast.SelectionSet, path []any) *ast.Position {
	var pos *ast.Position
	for _, seg := range path {
		name, ok := seg.(string)
		if !ok {
			continue // a list index
		}
		var found *ast.Field
		forEachField(set, func(f *ast.Field) {
			if found == nil && f.Alias == name {
				found = f
			}
		})
		if found == nil {
			return pos
		}
		pos, set = found.Position, found.SelectionSet
	}
	return pos
}
