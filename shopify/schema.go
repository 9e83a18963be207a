package shopify

import (
	_ "embed"
	"sync"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// APIVersion is the Admin GraphQL API version shopcard speaks. It is the
// only place the version is written.
const APIVersion = "2026-07"

// SchemaSDL is shopcard's subset of the Admin API schema (schema.graphql).
//
//go:embed schema.graphql
var SchemaSDL string

// OperationsSDL holds every operation shopcard sends (operations.graphql).
//
//go:embed operations.graphql
var OperationsSDL string

var loadSchema = sync.OnceValues(func() (*ast.Schema, error) {
	return gqlparser.LoadSchema(&ast.Source{Name: "shopify/schema.graphql", Input: SchemaSDL})
})

// Schema returns the parsed subset schema.
func Schema() *ast.Schema {
	s, err := loadSchema()
	if err != nil {
		// The file is embedded and tested; failing here is a build defect.
		panic("shopify: embedded schema does not parse: " + err.Error())
	}
	return s
}
