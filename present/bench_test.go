package present_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/internal/apptest"
	"shopcard/present"
	"shopcard/views"
)

// The benchmarks below measure presenting and rendering a section with a
// realistic answer: the fake's Jordan Rivera, whose 60 orders come back as
// the newest 50 with their items, shipments and tracking. See README
// "Performance".

// benchAnswer50 looks up Jordan through the real chain once and returns
// the store and the answer.
func benchAnswer50(b *testing.B) (domain.Store, *domain.CustomerOrders) {
	b.Helper()
	env := apptest.Start(b, apptest.Options{LogOutput: io.Discard, LogLevel: "info"})
	store := env.Stores[fakeshopify.AcmeDomain]
	answer, err := env.App.Lookup.LookupCustomer(context.Background(), store, fakeshopify.EmailSixtyOrders)
	if err != nil {
		b.Fatal(err)
	}
	if len(answer.Orders) != 50 {
		b.Fatalf("%d orders, want 50", len(answer.Orders))
	}
	return store, answer
}

// BenchmarkPresentSection50 maps a 50-order answer (domain types, as the
// cache keeps them) into the section's view models. The GraphQL-to-domain
// half is shopify's BenchmarkMapCustomerOrders50.
func BenchmarkPresentSection50(b *testing.B) {
	store, answer := benchAnswer50(b)
	results := []present.Result{{Email: fakeshopify.EmailSixtyOrders, Answer: answer}}
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		sec := present.Section(views.StoreSection{}, store, results, nil, now)
		if len(sec.Customers) != 1 {
			b.Fatal("no customer")
		}
	}
}

// BenchmarkRenderSection50 renders a 50-order store section (customer card
// and order list) from its view model with templ.
func BenchmarkRenderSection50(b *testing.B) {
	store, answer := benchAnswer50(b)
	sec := present.Section(views.StoreSection{ID: "store-1", Domain: store.Domain, FragmentURL: "/sidebar/stores/1"},
		store, []present.Result{{Email: fakeshopify.EmailSixtyOrders, Answer: answer}}, nil, time.Now())
	var buf bytes.Buffer
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := views.StoreSectionBody(sec).Render(ctx, &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "html-bytes")
}
