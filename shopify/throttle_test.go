package shopify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/shopify"
)

// lyingThrottle serves the fake Shopify but rewrites every answer's
// throttleStatus to claim restoreRate (and an empty bucket), as one bad
// answer might.
func lyingThrottle(fake *fakeshopify.Server, restoreRate string) http.Handler {
	rate := regexp.MustCompile(`"restoreRate":[0-9.e+-]+`)
	avail := regexp.MustCompile(`"currentlyAvailable":[0-9.e+-]+`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, r)
		body := rate.ReplaceAll(rec.Body.Bytes(), []byte(`"restoreRate":`+restoreRate))
		body = avail.ReplaceAll(body, []byte(`"currentlyAvailable":0`))
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
}

// refusals counts the client's local refusals, on top of observed.
type refusals struct {
	*observed
	n int
}

func (r *refusals) ObserveShopifyThrottleRefusal(string) { r.n++ }

// TestOneBadThrottleAnswerParksAStoreBriefly: an answer claiming a
// restore rate no Shopify plan has (or none at all) would have the
// estimate wait hours for points and refuse every request locally, so no
// request would ever learn better. The estimate is clamped and, once the
// longest wait real numbers can ask for (1000 points at 100 a second) has
// passed since Shopify last spoke, one request probes. Local refusals are
// counted.
func TestOneBadThrottleAnswerParksAStoreBriefly(t *testing.T) {
	for _, rate := range []string{"0.001", "1e-9"} {
		t.Run(rate, func(t *testing.T) {
			clock := &fakeClock{now: time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)}
			fake := fakeshopify.NewSeeded(clock.Now)
			srv := httptest.NewServer(lyingThrottle(fake, rate))
			defer srv.Close()
			obs := &refusals{observed: newObserved()}
			c, err := shopify.NewClient(shopify.Options{URLTemplate: srv.URL + fakeshopify.ShopURLTemplate, Observer: obs,
				Now: clock.Now, Sleep: clock.Sleep, Rand: func() float64 { return 0 }})
			if err != nil {
				t.Fatal(err)
			}
			store := domain.Store{ID: 1, WorkspaceID: 1, Domain: fakeshopify.AcmeDomain, AccessToken: domain.NewSecret(fakeshopify.AcmeToken)}
			lookup := func() error {
				ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
				defer cancel()
				_, err := c.LookupCustomer(ctx, store, fakeshopify.EmailShowcase)
				return err
			}
			if err := lookup(); err != nil {
				t.Fatal(err)
			}
			// A second just after: the estimate, clamped, still says the
			// bucket is empty, and the wait does not fit the deadline.
			clock.Sleep(context.Background(), time.Second, nil)
			err = lookup()
			if domain.KindOf(err) != domain.KindShopifyThrottled {
				t.Fatalf("right after the bad answer: %v, want a local throttle refusal", err)
			}
			if obs.n != 1 {
				t.Errorf("%d local refusals counted, want 1", obs.n)
			}
			// Once the longest real wait has passed, a request is sent.
			clock.Sleep(context.Background(), 10*time.Second, nil)
			before := fake.Requests(fakeshopify.AcmeDomain)
			if err := lookup(); err != nil {
				t.Fatalf("ten seconds after the bad answer: %v, want a probe that succeeds", err)
			}
			if fake.Requests(fakeshopify.AcmeDomain) == before {
				t.Error("no request was sent")
			}
		})
	}
}
