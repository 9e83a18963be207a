package fakeshopify

import (
	gqlerrors "github.com/graph-gophers/graphql-go/errors"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// validationCodes maps graphql-go's validation rules to the codes
// Shopify's GraphQL server (graphql-ruby) puts in extensions.code, so a
// client that classifies errors by code sees familiar ones.
var validationCodes = map[string]string{
	"FieldsOnCorrectTypeRule":          "undefinedField",
	"KnownArgumentNamesRule":           "argumentNotAccepted",
	"ProvidedRequiredArgumentsRule":    "missingRequiredArguments",
	"ValuesOfCorrectTypeRule":          "argumentLiteralsIncompatible",
	"VariablesInAllowedPositionRule":   "variableMismatch",
	"NoUnusedVariablesRule":            "variableNotUsed",
	"NoUndefinedVariablesRule":         "variableNotDefined",
	"KnownTypeNamesRule":               "undefinedType",
	"KnownFragmentNamesRule":           "undefinedFragment",
	"NoUnusedFragmentsRule":            "useAndDefineFragment",
	"ScalarLeafsRule":                  "selectionMismatch",
	"KnownDirectivesRule":              "undefinedDirective",
	"UniqueArgumentNamesRule":          "argumentUniqueness",
	"OverlappingFieldsCanBeMergedRule": "fieldConflict",
}

// validationError converts one of graphql-go's validation errors, keeping
// its message.
func validationError(e *gqlerrors.QueryError) gqlError {
	out := gqlError{Message: e.Message}
	for _, l := range e.Locations {
		out.Locations = append(out.Locations, gqlLocation{Line: l.Line, Column: l.Column})
	}
	if code, ok := validationCodes[e.Rule]; ok {
		out.Extensions = map[string]any{"code": code}
	}
	return out
}

func parserErrors(errs gqlerror.List) []gqlError {
	out := make([]gqlError, 0, len(errs))
	for _, e := range errs {
		g := gqlError{Message: e.Message}
		for _, l := range e.Locations {
			g.Locations = append(g.Locations, gqlLocation{Line: l.Line, Column: l.Column})
		}
		out = append(out, g)
	}
	return out
}

// executionError converts an error raised while resolving a field. graphql-go
// gives it a path but no location; Shopify gives both, so look the field up.
func executionError(op *ast.OperationDefinition, e *gqlerrors.QueryError) gqlError {
	out := gqlError{Message: e.Message, Path: e.Path, Extensions: e.Extensions}
	if pos := locate(op.SelectionSet, e.Path); pos != nil {
		out.Locations = []gqlLocation{{Line: pos.Line, Column: pos.Column}}
	}
	return out
}
