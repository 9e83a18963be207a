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

// jordanResponse is the fake's raw answer to CustomerWithOrders for Jordan
// Rivera: 50 orders with their items, shipments and tracking.
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

// BenchmarkMapCustomerOrders50 decodes a 50-order GraphQL answer (as
// genqlient does) and maps it into the domain types the cache keeps. The
// domain-to-view-model half is handlers' BenchmarkPresentSection50.
func BenchmarkMapCustomerOrders50(b *testing.B) {
	body := jordanResponse(b)
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
	body := jordanResponse(b)
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
