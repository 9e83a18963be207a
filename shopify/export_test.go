package shopify

import "github.com/Khan/genqlient/graphql"

// MapCustomerOrders exposes the GraphQL-to-domain mapping to the external
// benchmarks in bench_test.go.
var MapCustomerOrders = mapCustomerOrders

// CostToReserve exposes what the client would reserve for an operation.
func (c *Client) CostToReserve(shop, opName, query string) int {
	return c.costToReserve(shop, &graphql.Request{OpName: opName, Query: query})
}

// RealSchema is Shopify's real 2026-07 schema, for external tests.
var RealSchema = realSchema
