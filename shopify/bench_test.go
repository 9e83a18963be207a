package shopify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/Khan/genqlient/graphql"

	"shopcard/fakeshopify"
	"shopcard/shopify"
)

// recordingTransport keeps the last response body it carried.
type recordingTransport struct{ last []byte }

func (t *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	t.last = b
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

// jordanResponse is the fake's raw answer to the sidebar's lookup
// document for Jordan Rivera (50 orders with their items, shipments and
// tracking, and the guest search beside them), as the client sends it.
func jordanResponse(b *testing.B) []byte {
	b.Helper()
	srv := httptest.NewServer(fakeshopify.NewSeeded(nil))
	b.Cleanup(srv.Close)
	rec := &recordingTransport{}
	c, err := shopify.NewClient(shopify.Options{URLTemplate: srv.URL + fakeshopify.ShopURLTemplate, HTTPClient: &http.Client{Transport: rec}})
	if err != nil {
		b.Fatal(err)
	}
	r, err := c.LookupCustomer(context.Background(), acme(), fakeshopify.EmailSixtyOrders)
	if err != nil || len(r.Orders) != 50 {
		b.Fatalf("lookup: %v", err)
	}
	return rec.last
}

// jordanGenqlientResponse is the fake's raw answer to genqlient's
// CustomerWithOrders for Jordan Rivera: the same customer and orders.
func jordanGenqlientResponse(b *testing.B) []byte {
	b.Helper()
	srv := httptest.NewServer(fakeshopify.NewSeeded(nil))
	b.Cleanup(srv.Close)
	rec := &recordingTransport{}
	gql := graphql.NewClient(fakeshopify.GraphQLURL(srv.URL, fakeshopify.AcmeDomain), &http.Client{Transport: tokenThen{token: fakeshopify.AcmeToken, next: rec}})
	r, err := shopify.CustomerWithOrders(context.Background(), gql, fakeshopify.EmailSixtyOrders)
	if err != nil || r.Customer == nil || len(r.Customer.Orders.Nodes) != 50 {
		b.Fatalf("lookup: %v", err)
	}
	return rec.last
}

// tokenThen adds the access token, then hands the request on.
type tokenThen struct {
	token string
	next  http.RoundTripper
}

func (t tokenThen) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Shopify-Access-Token", t.token)
	return t.next.RoundTrip(r)
}

// BenchmarkLookupDecode50 decodes the sidebar lookup's answer for a
// 50-order customer as the client does, each alias straight into its
// type, once, and maps it into the domain types the cache keeps.
func BenchmarkLookupDecode50(b *testing.B) {
	body := jordanResponse(b)
	emails := []string{fakeshopify.EmailSixtyOrders}
	b.ReportAllocs()
	for b.Loop() {
		out, err := shopify.DecodeLookupAnswer(body, emails)
		if err != nil {
			b.Fatal(err)
		}
		if len(out[0].Orders) != 50 {
			b.Fatalf("%d orders", len(out[0].Orders))
		}
	}
	b.ReportMetric(float64(len(body)), "json-bytes")
}

// BenchmarkMapCustomerOrders50 decodes a 50-order answer to genqlient's
// CustomerWithOrders as genqlient does (each order twice: its own fields,
// then its OrderSummary fragment) and maps it into the domain types: the
// path the sidebar took before BenchmarkLookupDecode50's. The
// domain-to-view-model half is present's BenchmarkPresentSection50.
func BenchmarkMapCustomerOrders50(b *testing.B) {
	body := jordanGenqlientResponse(b)
	b.ReportAllocs()
	for b.Loop() {
		var data shopify.CustomerWithOrdersResponse
		if err := json.Unmarshal(body, &graphql.Response{Data: &data}); err != nil {
			b.Fatal(err)
		}
		if out := shopify.MapCustomerOrders(&data); len(out.Orders) != 50 {
			b.Fatalf("%d orders", len(out.Orders))
		}
	}
	b.ReportMetric(float64(len(body)), "json-bytes")
}

// BenchmarkMapCustomerOrders50MapOnly is the mapping alone, without JSON
// decoding.
func BenchmarkMapCustomerOrders50MapOnly(b *testing.B) {
	body := jordanGenqlientResponse(b)
	var data shopify.CustomerWithOrdersResponse
	if err := json.Unmarshal(body, &graphql.Response{Data: &data}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if out := shopify.MapCustomerOrders(&data); len(out.Orders) != 50 {
			b.Fatalf("%d orders", len(out.Orders))
		}
	}
}
