package shopify

// MapCustomerOrders exposes the GraphQL-to-domain mapping to the external
// benchmarks in bench_test.go.
var MapCustomerOrders = mapCustomerOrders
