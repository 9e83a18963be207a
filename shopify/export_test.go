package shopify

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/Khan/genqlient/graphql"

	"shopcard/domain"
)

// MapCustomerOrders exposes the GraphQL-to-domain mapping to the external
// benchmarks in bench_test.go.
var MapCustomerOrders = mapCustomerOrders

// CostToReserve exposes what the client would reserve for an operation.
func (c *Client) CostToReserve(shop, opName, query string) int {
	return c.costToReserve(shop, &graphql.Request{OpName: opName, Query: query})
}

// RealSchema is Shopify's real 2026-07 schema, for external tests.
var RealSchema = realSchema

// DecodeLookupAnswer decodes a lookup document's answer for emails as the
// client does (decodeLookup), for benchmarks.
func DecodeLookupAnswer(body []byte, emails []string) ([]*domain.CustomerOrders, error) {
	var data lookupAnswer
	if err := json.Unmarshal(body, &graphql.Response{Data: &data}); err != nil {
		return nil, err
	}
	out := make([]*domain.CustomerOrders, len(emails))
	for i, r := range decodeLookup(&data, emails, nil, 0, time.Time{}) {
		if r.err != nil {
			return nil, r.err
		}
		out[i] = r.answer
	}
	return out, nil
}

// BatchPending reports whether a lookup of email in store waits in a batch
// for the rest of its section, for tests that must act only once it does.
func (c *Client) BatchPending(store domain.Store, email string) bool {
	c.batchesMu.Lock()
	defer c.batchesMu.Unlock()
	for k, b := range c.batches {
		if k.shop == store.Domain && slices.Contains(b.emails, email) {
			return true
		}
	}
	return false
}
