package shopify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// capturedCostsFile holds, for every query recorded against a real store
// with its cost, only what the cost tests need: the captures themselves are
// the team's reference data and stay outside the repository.
const capturedCostsFile = "testdata/captured_costs.json"

// capturesDir is where a checkout finds the team's reference captures.
var capturesDir = filepath.Join("..", "..", "shared", "shopify", "captures")

// capturedCost is one query Shopify answered, with the cost it reported.
type capturedCost struct {
	// Name is the capture file (without .json) and the JSON path, inside
	// it, of the recorded call.
	Name               string         `json:"name"`
	Query              string         `json:"query"`
	Variables          map[string]any `json:"variables"`
	RequestedQueryCost int            `json:"requestedQueryCost"`
	ActualQueryCost    int            `json:"actualQueryCost"`
}

// loadCapturedCosts reads the vendored table.
func loadCapturedCosts(tb testing.TB) []capturedCost {
	tb.Helper()
	b, err := os.ReadFile(capturedCostsFile)
	if err != nil {
		tb.Fatalf("read %s: %v", capturedCostsFile, err)
	}
	var out []capturedCost
	if err := json.Unmarshal(b, &out); err != nil {
		tb.Fatalf("%s: %v", capturedCostsFile, err)
	}
	if len(out) == 0 {
		tb.Fatalf("%s holds no captures", capturedCostsFile)
	}
	return out
}

// deriveCapturedCosts finds every recorded call in the capture files that
// carries both its query text and the extensions.cost Shopify answered
// with. A call is an object with a "query" string and a "response" whose
// body (or the response itself) has extensions.cost.requestedQueryCost;
// search strings under "variables" never have a response beside them.
func deriveCapturedCosts(dir string) ([]capturedCost, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []capturedCost
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		stem := strings.TrimSuffix(filepath.Base(p), ".json")
		if err := collectCalls(stem, "", doc, &out); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return out, nil
}

func collectCalls(stem, path string, v any, out *[]capturedCost) error {
	switch x := v.(type) {
	case map[string]any:
		if c, ok, err := recordedCall(x); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		} else if ok {
			c.Name = stem + "/" + path
			*out = append(*out, c)
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys) // the same table on every run
		for _, k := range keys {
			if err := collectCalls(stem, join(path, k), x[k], out); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range x {
			if err := collectCalls(stem, join(path, fmt.Sprint(i)), e, out); err != nil {
				return err
			}
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// recordedCall reads one call, if obj is one.
func recordedCall(obj map[string]any) (capturedCost, bool, error) {
	q, ok := obj["query"].(string)
	if !ok {
		return capturedCost{}, false, nil
	}
	resp, ok := obj["response"].(map[string]any)
	if !ok {
		return capturedCost{}, false, nil
	}
	if body, ok := resp["body"].(map[string]any); ok {
		resp = body
	}
	ext, _ := resp["extensions"].(map[string]any)
	cost, _ := ext["cost"].(map[string]any)
	if _, ok := cost["requestedQueryCost"]; !ok {
		return capturedCost{}, false, nil
	}
	requested, err := wholeNumber(cost["requestedQueryCost"])
	if err != nil {
		return capturedCost{}, false, fmt.Errorf("requestedQueryCost: %w", err)
	}
	actual, err := wholeNumber(cost["actualQueryCost"])
	if err != nil {
		return capturedCost{}, false, fmt.Errorf("actualQueryCost: %w", err)
	}
	vars, _ := obj["variables"].(map[string]any)
	return capturedCost{Query: q, Variables: vars, RequestedQueryCost: requested, ActualQueryCost: actual}, true, nil
}

func wholeNumber(v any) (int, error) {
	f, ok := v.(float64)
	if !ok || f != math.Trunc(f) {
		return 0, fmt.Errorf("%v is not a whole number", v)
	}
	return int(f), nil
}

// TestCapturedCostsMatchCaptures keeps the vendored table true to the
// team's captures, where a checkout has them beside it. Set
// SHOPCARD_UPDATE_CAPTURED_COSTS=1 to rewrite the table from them.
func TestCapturedCostsMatchCaptures(t *testing.T) {
	if _, err := os.Stat(capturesDir); os.IsNotExist(err) {
		t.Skipf("no captures at %s beside this checkout to compare %s with", capturesDir, capturedCostsFile)
	}
	derived, err := deriveCapturedCosts(capturesDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(derived) == 0 {
		t.Fatalf("found no recorded calls with a cost in %s", capturesDir)
	}
	if os.Getenv("SHOPCARD_UPDATE_CAPTURED_COSTS") != "" {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(derived); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(capturedCostsFile, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d captures to %s", len(derived), capturedCostsFile)
	}
	// Round-trip the derived table through JSON so that both sides hold
	// the same Go types (numbers in variables become float64 either way).
	b, err := json.Marshal(derived)
	if err != nil {
		t.Fatal(err)
	}
	var want []capturedCost
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	got := loadCapturedCosts(t)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s has drifted from %s (%d vendored, %d captured): rerun with SHOPCARD_UPDATE_CAPTURED_COSTS=1", capturedCostsFile, capturesDir, len(got), len(want))
		for i := range max(len(got), len(want)) {
			switch {
			case i >= len(got):
				t.Errorf("missing %s", want[i].Name)
			case i >= len(want):
				t.Errorf("extra %s", got[i].Name)
			case !reflect.DeepEqual(got[i], want[i]):
				t.Errorf("%s differs from captured %s", got[i].Name, want[i].Name)
			}
		}
	}
}

// TestCapturedQueriesValidateAgainstRealSchema: the cost rule reads field
// definitions from the schema, so every captured query must be one the real
// schema accepts.
func TestCapturedQueriesValidateAgainstRealSchema(t *testing.T) {
	real := realSchema(t)
	for _, c := range loadCapturedCosts(t) {
		t.Run(c.Name, func(t *testing.T) {
			if _, err := capturedOperation(real, c); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// capturedOperation parses and validates a captured query against schema.
// Each capture sent exactly one operation.
func capturedOperation(schema *ast.Schema, c capturedCost) (*ast.OperationDefinition, error) {
	doc, errs := gqlparser.LoadQuery(schema, c.Query)
	if len(errs) > 0 {
		return nil, fmt.Errorf("invalid against Shopify's 2026-07 schema: %v", errs)
	}
	if len(doc.Operations) != 1 {
		return nil, fmt.Errorf("%d operations, want 1", len(doc.Operations))
	}
	return doc.Operations[0], nil
}
