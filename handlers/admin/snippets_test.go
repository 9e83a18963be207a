package admin

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// TestGoSnippetIsACompleteFile: the Go snippet parses as a file, and
// imports every package it uses and none it doesn't, so pasting it
// compiles.
func TestGoSnippetIsACompleteFile(t *testing.T) {
	var code string
	for _, sn := range snippets("acme-support", "https://shopcard.example.com") {
		if sn.Language == "go" {
			code = sn.Code
		}
	}
	f, err := parser.ParseFile(token.NewFileSet(), "snippet.go", code, 0)
	if err != nil {
		t.Fatalf("the Go snippet does not parse: %v\n%s", err, code)
	}
	imported := map[string]bool{}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if name == "v5" {
			name = "jwt" // github.com/golang-jwt/jwt/v5 is package jwt
		}
		imported[name] = true
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil {
				used[id.Name] = true
			}
		}
		return true
	})
	for name := range used {
		if !imported[name] {
			t.Errorf("the snippet uses %s without importing it", name)
		}
	}
	for name := range imported {
		if !used[name] {
			t.Errorf("the snippet imports %s without using it", name)
		}
	}
	if len(used) == 0 {
		t.Fatal("the snippet uses no package at all")
	}
}
