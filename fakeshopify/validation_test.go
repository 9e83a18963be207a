package fakeshopify

import (
	"strings"
	"testing"
)

func TestExecutorRejectsWhatShopifyRejects(t *testing.T) {
	_, ts, _ := startSeeded(t)
	url := GraphQLURL(ts.URL, AcmeDomain)
	tests := []struct {
		name     string
		query    string
		vars     map[string]any
		wantCode string
		wantMsg  string // substring
	}{
		{"unknown field", `{ shop { name nope } }`, nil, "undefinedField", `"nope"`},
		{"unknown argument", `{ shop(id: 1) { name } }`, nil, "argumentNotAccepted", `"id"`},
		{"missing argument", `{ customerByIdentifier { id } }`, nil, "missingRequiredArguments", "identifier"},
		{"scalar needs no selection", `{ shop { name { x } } }`, nil, "selectionMismatch", "name"},
		{"wrong variable type", `query Q($e: String!) { customerByIdentifier(identifier: {emailAddress: $e}) { id } }`,
			map[string]any{"e": 5}, "INVALID_VARIABLE", "Variable $e of type String! was provided invalid value"},
		{"missing variable", `query Q($e: String!) { customerByIdentifier(identifier: {emailAddress: $e}) { id } }`,
			nil, "INVALID_VARIABLE", "Variable $e of type String! was provided invalid value"},
		{"unknown input field", `query Q($i: CustomerIdentifierInput!) { customerByIdentifier(identifier: $i) { id } }`,
			map[string]any{"i": map[string]any{"email": "a@b.co"}}, "INVALID_VARIABLE", "Variable $i"},
		{"identifier with no key", `query Q($i: CustomerIdentifierInput!) { customerByIdentifier(identifier: $i) { id } }`,
			map[string]any{"i": map[string]any{}}, "INVALID_VARIABLE", "Variable $i of type CustomerIdentifierInput! was provided invalid value"},
		{"identifier with two keys", `query Q($i: CustomerIdentifierInput!) { customerByIdentifier(identifier: $i) { id } }`,
			map[string]any{"i": map[string]any{"emailAddress": "a@b.co", "phoneNumber": "+1555"}}, "INVALID_VARIABLE", "was provided invalid value"},
		{"literal identifier with two keys", `{ customerByIdentifier(identifier: {emailAddress: "a@b.co", phoneNumber: "+1555"}) { id } }`,
			nil, "argumentLiteralsIncompatible", "requires exactly one argument, but 2 were provided"},
		{"a query field is not a mutation", `mutation { shop { name } }`, nil, "", `on type "Mutation"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, url, AcmeToken, tt.query, tt.vars)
			if r.status != 200 {
				t.Fatalf("status %d, want 200 like Shopify", r.status)
			}
			if _, ok := r.json["data"]; ok {
				t.Errorf("a rejected query has data: %s", r.body)
			}
			if _, ok := r.json["extensions"]; ok {
				t.Errorf("a rejected query is charged: %s", r.body)
			}
			msg, _ := dig(r.json, "errors", 0, "message").(string)
			if !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("message %q does not contain %q", msg, tt.wantMsg)
			}
			if tt.wantCode != "" && dig(r.json, "errors", 0, "extensions", "code") != tt.wantCode {
				t.Errorf("code %v, want %s; body %s", dig(r.json, "errors", 0, "extensions", "code"), tt.wantCode, r.body)
			}
		})
	}
}

// TestInvalidIdentifierMatchesCapture checks the shape recorded in
// captures/customer-by-identifier.json ("emptyIdentifier").
func TestInvalidIdentifierMatchesCapture(t *testing.T) {
	_, ts, _ := startSeeded(t)
	r := post(t, GraphQLURL(ts.URL, AcmeDomain), AcmeToken,
		"query Q(\n  $idIdentifier: CustomerIdentifierInput!\n) {\n  byId: customerByIdentifier(identifier: $idIdentifier) { id }\n}",
		map[string]any{"idIdentifier": map[string]any{}})
	e := dig(r.json, "errors", 0)
	checks := []struct {
		name      string
		got, want any
	}{
		{"message", dig(e, "message"), "Variable $idIdentifier of type CustomerIdentifierInput! was provided invalid value"},
		{"code", dig(e, "extensions", "code"), "INVALID_VARIABLE"},
		{"value", len(dig(e, "extensions", "value").(map[string]any)), 0},
		{"problem path", len(dig(e, "extensions", "problems", 0, "path").([]any)), 0},
		{"explanation", dig(e, "extensions", "problems", 0, "explanation"), "'CustomerIdentifierInput' requires exactly one argument, but 0 were provided."},
		{"location line", dig(e, "locations", 0, "line"), float64(2)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %#v, want %#v (body %s)", c.name, c.got, c.want, r.body)
		}
	}
}

func TestCustomerByIdentifier(t *testing.T) {
	s, ts, _ := startSeeded(t)
	url := GraphQLURL(ts.URL, AcmeDomain)
	maya, _ := s.CustomerByEmail(AcmeDomain, EmailShowcase)
	const q = `query Q($i: CustomerIdentifierInput!) { customerByIdentifier(identifier: $i) { id displayName } }`
	tests := []struct {
		name      string
		ident     map[string]any
		wantName  any
		wantError bool
	}{
		{"by email", map[string]any{"emailAddress": EmailShowcase}, "Maya Chen", false},
		{"by email, whitespace inside and case", map[string]any{"emailAddress": " Maya.Ch en@EXAMPLE.com\t"}, "Maya Chen", false},
		{"by id", map[string]any{"id": string(gid("Customer", maya.ID))}, "Maya Chen", false},
		{"by phone", map[string]any{"phoneNumber": "+14155550123"}, "Maya Chen", false},
		{"unknown id", map[string]any{"id": "gid://shopify/Customer/1"}, nil, false},
		{"missing email", map[string]any{"emailAddress": "missing@example.com"}, nil, false},
		{"malformed id", map[string]any{"id": "12345"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, url, AcmeToken, q, map[string]any{"i": tt.ident})
			if got := dig(r.json, "data", "customerByIdentifier", "displayName"); got != tt.wantName {
				t.Errorf("displayName %#v, want %#v; body %s", got, tt.wantName, r.body)
			}
			if _, hasErr := r.json["errors"]; hasErr != tt.wantError {
				t.Errorf("errors present = %v, want %v; body %s", hasErr, tt.wantError, r.body)
			}
		})
	}
}
