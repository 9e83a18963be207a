package shopify

import (
	"github.com/Khan/genqlient/graphql"
)

// Shopify says in every answer what the query requested
// (extensions.cost.requestedQueryCost): the points it took from the bucket
// before running it. The client reserves that figure for the next request
// of the same operation to the same shop, rather than its own estimate
// (RequestedCost), which only stands in until Shopify's first answer: the
// estimate is a reading of Shopify's rules fitted to captures, while the
// answer is the rule itself, for this shop and this API version.
//
// What is learned is bounded like the rest of the estimate (throttle.go):
// Shopify refuses any query over MaxQueryCost, so a larger figure can only
// be a bad answer, and believing it would have every later request to the
// shop wait for points no query needs.
const (
	minLearnedCost = 1
	maxLearnedCost = MaxQueryCost
)

// learnedKey names one operation sent to one shop. Operations are told
// apart by their name: operations.graphql's are unique (GraphQL requires
// it), and the lookup documents' names say how many emails they carry.
type learnedKey struct {
	shop, op string
}

func keyOf(shop string, req *graphql.Request) learnedKey {
	return learnedKey{shop: shop, op: req.OpName}
}

// costToReserve is what a request reserves in its shop's bucket before it
// is sent: what Shopify last said this operation requested from this
// shop, or else our estimate.
func (c *Client) costToReserve(shop string, req *graphql.Request) int {
	if v, ok := c.learned.Load(keyOf(shop, req)); ok {
		return v.(int)
	}
	return c.requestedCostOf(req)
}

// learnCost remembers what Shopify said req requested from shop, within
// bounds, and returns what the next such request will reserve. A zero or
// negative figure is not an answer (Shopify never requests nothing for a
// query), so it changes nothing.
func (c *Client) learnCost(shop string, req *graphql.Request, requested int) int {
	if requested <= 0 {
		return c.costToReserve(shop, req)
	}
	cost := min(max(requested, minLearnedCost), maxLearnedCost)
	c.learned.Store(keyOf(shop, req), cost)
	return cost
}
