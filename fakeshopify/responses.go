package fakeshopify

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// invalidTokenMessage is Shopify's exact 401 message for a bad, missing or
// revoked access token.
const invalidTokenMessage = "[API] Invalid API key or access token (unrecognized login or wrong password)"

// shopifyErrorBody is the body Shopify sends with HTTP-level errors:
// {"errors":"..."} with a plain string, unlike GraphQL errors.
func shopifyErrorBody(message string) any {
	return map[string]string{"errors": message}
}

// missingQueryBody is what Shopify answers (HTTP 400) to a body that is not
// JSON or has no query.
var missingQueryBody = map[string]map[string]string{
	"errors": {"query": "Required parameter missing or invalid"},
}

// writeJSON writes v as the whole response, with Shopify's content type.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// gqlResponse is a GraphQL response body. Errors come first, as Shopify
// sends them.
type gqlResponse struct {
	Errors     []gqlError          `json:"errors,omitempty"`
	Data       json.RawMessage     `json:"data,omitempty"`
	Extensions *responseExtensions `json:"extensions,omitempty"`
}

type responseExtensions struct {
	Cost costExtension `json:"cost"`
}

// costExtension is extensions.cost. ActualQueryCost is null when the query
// did not run (THROTTLED, MAX_COST_EXCEEDED).
type costExtension struct {
	RequestedQueryCost int            `json:"requestedQueryCost"`
	ActualQueryCost    *int           `json:"actualQueryCost"`
	ThrottleStatus     ThrottleStatus `json:"throttleStatus"`
}

// gqlError is one GraphQL error, in the field order Shopify uses.
type gqlError struct {
	Message    string         `json:"message"`
	Locations  []gqlLocation  `json:"locations,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
	Path       []any          `json:"path,omitempty"`
}

type gqlLocation struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// throttledError is Shopify's THROTTLED error. With it, data is absent and
// extensions.cost carries the requested cost, a null actual cost and the
// bucket, from which a client can work out how long to wait. Shape as
// returned by the Admin API (errors[0] plus top-level extensions.cost).
func throttledError() gqlError {
	return gqlError{
		Message: "Throttled",
		Extensions: map[string]any{
			"code":          "THROTTLED",
			"documentation": "https://shopify.dev/api/usage/rate-limits",
		},
	}
}

// maxCostError is Shopify's answer to a query whose requested cost exceeds
// the single-query limit; the query does not run and costs nothing.
func maxCostError(cost, limit int) gqlError {
	return gqlError{
		Message: fmt.Sprintf("Query cost is %d, which exceeds the single query max cost limit (%d).\n\n"+
			"See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n"+
			"cost of a query is calculated.\n\n"+
			"To query larger amounts of data with fewer limits, bulk operations should be used instead.\n"+
			"See https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n", cost, limit),
		Extensions: map[string]any{
			"code":    "MAX_COST_EXCEEDED",
			"cost":    cost,
			"maxCost": limit,
		},
	}
}

// fieldError is an error a resolver returns; graphql-go puts its message
// on the response, adds the field's path, and copies Extensions.
type fieldError struct {
	message    string
	extensions map[string]any
}

func (e *fieldError) Error() string              { return e.message }
func (e *fieldError) Extensions() map[string]any { return e.extensions }

// accessDenied is Shopify's error for a field the token's scopes do not
// open, e.g. "Access denied for customerByIdentifier field. Required
// access: `read_customers` access scope."; when any of several scopes
// would do, they are joined with "or".
func accessDenied(field string, scopes ...string) error {
	alternatives := make([]string, len(scopes))
	for i, sc := range scopes {
		alternatives[i] = fmt.Sprintf("`%s` access scope", sc)
	}
	required := strings.Join(alternatives, " or ") + "."
	return &fieldError{
		message: fmt.Sprintf("Access denied for %s field. Required access: %s", field, required),
		extensions: map[string]any{
			"code":           "ACCESS_DENIED",
			"documentation":  "https://shopify.dev/api/usage/access-scopes",
			"requiredAccess": required,
		},
	}
}

// protectedDataDenied is the error for a protected customer data field the
// app is not approved for. Shopify's wording varies between API versions;
// what clients rely on is the ACCESS_DENIED code and the path.
func protectedDataDenied(field string) error {
	return &fieldError{
		message: fmt.Sprintf("This app is not approved to use the %s field. See https://shopify.dev/docs/apps/launch/protected-customer-data for more details.", field),
		extensions: map[string]any{
			"code":          "ACCESS_DENIED",
			"documentation": "https://shopify.dev/docs/apps/launch/protected-customer-data",
		},
	}
}

// unsupported marks an argument the fake does not implement, so a test
// that starts using it fails loudly instead of getting unfiltered data.
func unsupported(what string) error {
	return &fieldError{message: "fakeshopify: " + what + " is not supported by the fake"}
}
