package fakeshopify

import (
	"errors"
	"fmt"
	"regexp"

	gqlerrors "github.com/graph-gophers/graphql-go/errors"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator"

	"shopcard/shopify"
)

// invalidVariable is Shopify's error for a variable value that does not
// fit its type, as in captures/customer-by-identifier.json:
//
//	{"message": "Variable $id of type CustomerIdentifierInput! was provided invalid value",
//	 "locations": [...],
//	 "extensions": {"code": "INVALID_VARIABLE", "value": {},
//	                "problems": [{"path": [], "explanation": "..."}]}}
//
// The query does not run, and the response has no data and no cost.
func invalidVariable(def *ast.VariableDefinition, value any, path []any, explanation string) *gqlError {
	if path == nil {
		path = []any{}
	}
	e := &gqlError{
		Message: fmt.Sprintf("Variable $%s of type %s was provided invalid value", def.Variable, def.Type.String()),
		Extensions: map[string]any{
			"code":     "INVALID_VARIABLE",
			"value":    value,
			"problems": []map[string]any{{"path": path, "explanation": explanation}},
		},
	}
	if def.Position != nil {
		e.Locations = []gqlLocation{{Line: def.Position.Line, Column: def.Position.Column}}
	}
	return e
}

var cannotUse = regexp.MustCompile(`^cannot use \S+ as (\S+)$`)

// checkVariables coerces the variables against their declared types and
// reports the first misfit in Shopify's shape. fallback holds graphql-go's
// own variable errors, in case it objects to something gqlparser accepts.
func checkVariables(op *ast.OperationDefinition, vars map[string]any, fallback []*gqlerrors.QueryError) *gqlError {
	_, err := validator.VariableValues(shopify.Schema(), op, vars)
	var gerr *gqlerror.Error
	if errors.As(err, &gerr) && len(gerr.Path) >= 2 {
		name, _ := gerr.Path[1].(ast.PathName)
		def := op.VariableDefinitions.ForName(string(name))
		if def != nil {
			var problemPath []any
			for _, p := range gerr.Path[2:] {
				switch p := p.(type) {
				case ast.PathName:
					problemPath = append(problemPath, string(p))
				case ast.PathIndex:
					problemPath = append(problemPath, int(p))
				}
			}
			return invalidVariable(def, vars[def.Variable], problemPath, explain(gerr.Message, valueAt(vars[def.Variable], problemPath)))
		}
	}
	if err != nil {
		return &gqlError{Message: err.Error(), Extensions: map[string]any{"code": "INVALID_VARIABLE"}}
	}
	if len(fallback) > 0 {
		return &gqlError{Message: fallback[0].Message, Extensions: map[string]any{"code": "INVALID_VARIABLE"}}
	}
	return nil
}

// explain words gqlparser's complaint as graphql-ruby would.
func explain(msg string, value any) string {
	switch {
	case msg == "must be defined" || msg == "cannot be null":
		return "Expected value to not be null"
	case cannotUse.MatchString(msg):
		return fmt.Sprintf("Could not coerce value %v to %s", value, cannotUse.FindStringSubmatch(msg)[1])
	}
	return msg
}

// valueAt follows a problem path into a variable's value.
func valueAt(v any, path []any) any {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[p]
		case int:
			l, _ := v.([]any)
			if p >= len(l) {
				return nil
			}
			v = l[p]
		}
	}
	return v
}

// checkIdentifiers enforces what Shopify enforces on
// CustomerIdentifierInput although the schema cannot say it: exactly one
// of its fields is given.
func checkIdentifiers(op *ast.OperationDefinition, vars map[string]any) *gqlError {
	var found *gqlError
	walkFields(op.SelectionSet, func(f *ast.Field) {
		arg := f.Arguments.ForName("identifier")
		if found != nil || f.Name != "customerByIdentifier" || arg == nil || arg.Value == nil {
			return
		}
		typeName := arg.Value.ExpectedType.Name()
		switch arg.Value.Kind {
		case ast.Variable:
			if arg.Value.VariableDefinition == nil {
				return // validation would have caught an undefined variable
			}
			given, _ := vars[arg.Value.Raw].(map[string]any)
			if n := countGiven(given); n != 1 {
				found = invalidVariable(arg.Value.VariableDefinition, vars[arg.Value.Raw], nil,
					fmt.Sprintf("'%s' requires exactly one argument, but %d were provided.", typeName, n))
			}
		case ast.ObjectValue:
			n := 0
			for _, child := range arg.Value.Children {
				if provided(child.Value, vars) {
					n++
				}
			}
			if n != 1 {
				found = &gqlError{
					Message: fmt.Sprintf("Argument 'identifier' on Field 'customerByIdentifier' has an invalid value. '%s' requires exactly one argument, but %d were provided.", typeName, n),
					Extensions: map[string]any{
						"code": "argumentLiteralsIncompatible", "typeName": "Field", "argumentName": "identifier",
					},
				}
				if f.Position != nil {
					found.Locations = []gqlLocation{{Line: f.Position.Line, Column: f.Position.Column}}
				}
			}
		}
	})
	return found
}

// countGiven counts the non-null fields of an input object value.
func countGiven(m map[string]any) int {
	n := 0
	for _, v := range m {
		if v != nil {
			n++
		}
	}
	return n
}

// provided reports whether a literal input field carries a value: not
// null, and not a variable that is null or absent.
func provided(v *ast.Value, vars map[string]any) bool {
	switch v.Kind {
	case ast.NullValue:
		return false
	case ast.Variable:
		return vars[v.Raw] != nil
	}
	return true
}
