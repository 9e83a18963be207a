package shopify_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"shopcard/fakeshopify"
	"shopcard/handlers/sectioncache"
	"shopcard/present"
	"shopcard/shopify"
	"shopcard/views"
)

// BenchmarkMissPath50 is the CPU a cache miss spends on a 50-order
// customer once Shopify's answer has arrived: decoding it (as the client
// does), presenting it, rendering the section and compressing it for a
// browser. Shopify's own time and the HTTP exchanges are not in it.
func BenchmarkMissPath50(b *testing.B) {
	body := jordanResponse(b)
	emails := []string{fakeshopify.EmailSixtyOrders}
	store := acme()
	now := time.Now()
	ctx := context.Background()
	var buf bytes.Buffer
	var gz []byte
	b.ReportAllocs()
	for b.Loop() {
		answers, err := shopify.DecodeLookupAnswer(body, emails)
		if err != nil {
			b.Fatal(err)
		}
		results := []present.Result{{Email: emails[0], Answer: answers[0]}}
		sec := present.Section(views.StoreSection{ID: "store-1", Domain: store.Domain, FragmentURL: "/sidebar/stores/1"}, store, results, nil, now)
		buf.Reset()
		if err := views.StoreSectionBody(sec).Render(ctx, &buf); err != nil {
			b.Fatal(err)
		}
		gz = sectioncache.Compress(buf.Bytes())
	}
	b.ReportMetric(float64(len(gz)), "gzip-bytes")
}
