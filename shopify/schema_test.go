package shopify

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// realSchemaFile is Shopify's public 2026-07 Admin schema, introspected
// from a live store and vendored gzip-compressed, so that every clone
// validates our operations against the real thing.
const realSchemaFile = "testdata/admin-2026-07.graphql.gz"

var realSchemaOnce = sync.OnceValues(func() (*ast.Schema, error) {
	f, err := os.Open(realSchemaFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", realSchemaFile, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", realSchemaFile, err)
	}
	return gqlparser.LoadSchema(&ast.Source{Name: "admin-2026-07.graphql", Input: string(b)})
})

// realSchema loads the vendored real schema; a missing or broken copy is a
// failure, never a skip.
func realSchema(tb testing.TB) *ast.Schema {
	tb.Helper()
	s, err := realSchemaOnce()
	if err != nil {
		tb.Fatalf("load the real schema: %v", err)
	}
	return s
}

// operationFiles lists every GraphQL document in this package except the
// schema itself.
func operationFiles(tb testing.TB) map[string]string {
	tb.Helper()
	paths, err := filepath.Glob("*.graphql")
	if err != nil {
		tb.Fatal(err)
	}
	docs := map[string]string{}
	for _, p := range paths {
		if p == "schema.graphql" {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		docs[p] = string(b)
	}
	if len(docs) == 0 {
		tb.Fatal("no operation files found")
	}
	return docs
}

func TestOperationsValidateAgainstRealSchema(t *testing.T) {
	real := realSchema(t)
	for name, src := range operationFiles(t) {
		t.Run(name, func(t *testing.T) {
			doc, errs := gqlparser.LoadQuery(real, src)
			if len(errs) > 0 {
				t.Fatalf("invalid against Shopify's 2026-07 schema: %v", errs)
			}
			if len(doc.Operations) == 0 {
				t.Fatal("file holds no operations")
			}
		})
	}
}

func TestOperationsValidateAgainstSubset(t *testing.T) {
	for name, src := range operationFiles(t) {
		if _, errs := gqlparser.LoadQuery(Schema(), src); len(errs) > 0 {
			t.Errorf("%s: invalid against schema.graphql: %v", name, errs)
		}
	}
}

// TestSubsetMatchesRealSchema proves schema.graphql is a faithful subset:
// every type, field, argument, input field and enum value exists in the real
// schema with the same type, and none carries description text.
func TestSubsetMatchesRealSchema(t *testing.T) {
	real := realSchema(t)
	sub := Schema()
	for name, def := range sub.Types {
		if def.BuiltIn {
			continue
		}
		t.Run(name, func(t *testing.T) {
			rdef := real.Types[name]
			if rdef == nil {
				t.Fatalf("type %s is not in the real schema", name)
			}
			if def.Kind != rdef.Kind {
				t.Fatalf("kind %s, real schema has %s", def.Kind, rdef.Kind)
			}
			if def.Description != "" {
				t.Errorf("carries a description; keep the subset free of Shopify's text")
			}
			for _, v := range def.EnumValues {
				if rdef.EnumValues.ForName(v.Name) == nil {
					t.Errorf("enum value %s is not in the real schema", v.Name)
				}
			}
			for _, f := range def.Fields {
				if strings.HasPrefix(f.Name, "__") {
					continue
				}
				rf := rdef.Fields.ForName(f.Name)
				if rf == nil {
					t.Errorf("field %s is not in the real schema", f.Name)
					continue
				}
				if f.Type.String() != rf.Type.String() {
					t.Errorf("field %s has type %s, real schema has %s", f.Name, f.Type, rf.Type)
				}
				if f.Description != "" {
					t.Errorf("field %s carries a description", f.Name)
				}
				for _, a := range f.Arguments {
					ra := rf.Arguments.ForName(a.Name)
					if ra == nil {
						t.Errorf("argument %s.%s is not in the real schema", f.Name, a.Name)
						continue
					}
					if a.Type.String() != ra.Type.String() {
						t.Errorf("argument %s.%s has type %s, real schema has %s", f.Name, a.Name, a.Type, ra.Type)
					}
					if defaultString(a.DefaultValue) != defaultString(ra.DefaultValue) {
						t.Errorf("argument %s.%s defaults to %s, real schema to %s", f.Name, a.Name, defaultString(a.DefaultValue), defaultString(ra.DefaultValue))
					}
				}
			}
		})
	}
	if real.Query.Name != sub.Query.Name {
		t.Errorf("query root is %s, real schema uses %s", sub.Query.Name, real.Query.Name)
	}
	if sub.Mutation != nil && real.Mutation.Name != sub.Mutation.Name {
		t.Errorf("mutation root is %s, real schema uses %s", sub.Mutation.Name, real.Mutation.Name)
	}
}

func defaultString(v *ast.Value) string {
	if v == nil {
		return "<none>"
	}
	return v.String()
}

// TestSubsetHoldsOnlyUsedFields keeps schema.graphql from growing fields
// that no operation selects.
func TestSubsetHoldsOnlyUsedFields(t *testing.T) {
	used := map[string]bool{}
	for name, src := range operationFiles(t) {
		doc, errs := gqlparser.LoadQuery(Schema(), src)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs)
		}
		var walk func(parent string, set ast.SelectionSet)
		walk = func(parent string, set ast.SelectionSet) {
			for _, sel := range set {
				switch s := sel.(type) {
				case *ast.Field:
					used[parent+"."+s.Name] = true
					// A field selected on an interface is served by every
					// type that implements it.
					if def := Schema().Types[parent]; def != nil && def.Kind == ast.Interface {
						for _, impl := range Schema().GetPossibleTypes(def) {
							used[impl.Name+"."+s.Name] = true
						}
					}
					if s.Definition != nil {
						walk(s.Definition.Type.Name(), s.SelectionSet)
					}
				case *ast.InlineFragment:
					walk(s.TypeCondition, s.SelectionSet)
				case *ast.FragmentSpread:
					walk(s.Definition.TypeCondition, s.Definition.SelectionSet)
				}
			}
		}
		for _, op := range doc.Operations {
			root := Schema().Query.Name
			if op.Operation == ast.Mutation {
				root = Schema().Mutation.Name
			}
			walk(root, op.SelectionSet)
		}
	}
	var unused []string
	for name, def := range Schema().Types {
		if def.BuiltIn || def.Kind != ast.Object {
			continue
		}
		for _, f := range def.Fields {
			if !strings.HasPrefix(f.Name, "__") && !used[name+"."+f.Name] {
				unused = append(unused, name+"."+f.Name)
			}
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Errorf("schema.graphql has fields no operation uses: %v", unused)
	}
}

// TestVendoredSchemaIsShopifys holds the vendored copy to the team's
// reference copy of the schema, where a checkout has one beside it.
func TestVendoredSchemaIsShopifys(t *testing.T) {
	ref, err := os.ReadFile(filepath.Join("..", "..", "shared", "shopify", "admin-2026-07.graphql"))
	if os.IsNotExist(err) {
		t.Skip("no reference copy beside this checkout to compare the vendored schema with")
	}
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(realSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	vendored, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(vendored, ref) {
		t.Fatalf("%s differs from the reference schema: re-vendor it with gzip -9 -n", realSchemaFile)
	}
}
