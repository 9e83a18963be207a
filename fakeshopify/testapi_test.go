package fakeshopify

import (
	"net/http"
	"testing"
)

func TestTestAPI(t *testing.T) {
	s, ts, _ := startSeeded(t)
	api := func(method, path, body string) rawResponse {
		t.Helper()
		return do(t, method, ts.URL+path, "", "application/json", []byte(body))
	}
	gql := func() int {
		return post(t, GraphQLURL(ts.URL, AcmeDomain), AcmeToken, `{ shop { name } }`, nil).status
	}
	store := "/_fake/stores/" + AcmeDomain

	t.Run("list stores", func(t *testing.T) {
		r := api("GET", "/_fake/stores", "")
		stores, _ := r.json["stores"].([]any)
		if r.status != 200 || len(stores) != 4 || dig(stores, 0, "domain") != AcmeDomain {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if dig(stores, 0, "tokens", 0, "token") != AcmeToken || dig(stores, 0, "throttleStatus", "maximumAvailable") != float64(2000) {
			t.Errorf("store view %v", dig(stores, 0))
		}
	})

	t.Run("faults: set, read, take effect, clear", func(t *testing.T) {
		r := api("PUT", store+"/faults", `{"status": 503, "latency": "1ms"}`)
		if r.status != 200 || r.json["status"] != float64(503) || r.json["latency"] != "1ms" {
			t.Fatalf("PUT: %d %s", r.status, r.body)
		}
		if got := gql(); got != 503 {
			t.Errorf("GraphQL answered %d under a 503 fault", got)
		}
		if f, _ := s.Faults(AcmeDomain); f.Status != 503 {
			t.Errorf("Go API sees %+v", f)
		}
		if r := api("GET", store+"/faults", ""); r.json["status"] != float64(503) {
			t.Errorf("GET: %s", r.body)
		}
		if r := api("DELETE", store+"/faults", ""); r.status != 200 {
			t.Errorf("DELETE: %d", r.status)
		}
		if got := gql(); got != 200 {
			t.Errorf("GraphQL answered %d after clearing", got)
		}
	})

	t.Run("POST works like PUT", func(t *testing.T) {
		if r := api("POST", store+"/faults", `{"failNext": 1, "failNextStatus": 500}`); r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if a, b := gql(), gql(); a != 500 || b != 200 {
			t.Errorf("statuses %d, %d, want 500, 200", a, b)
		}
	})

	t.Run("protected data switch", func(t *testing.T) {
		api("PUT", store+"/faults", `{"withholdProtectedData": true}`)
		defer api("DELETE", store+"/faults", "")
		r := post(t, GraphQLURL(ts.URL, AcmeDomain), AcmeToken,
			`{ customerByIdentifier(identifier: {emailAddress: "`+EmailShowcase+`"}) { firstName displayName } }`, nil)
		if dig(r.json, "errors", 0, "extensions", "code") != "ACCESS_DENIED" || dig(r.json, "data", "customerByIdentifier", "displayName") != "" {
			t.Errorf("body %s", r.body)
		}
	})

	t.Run("revoke and reinstate a token", func(t *testing.T) {
		if r := api("POST", store+"/tokens/"+AcmeToken+"/revoke", ""); r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if got := gql(); got != 401 {
			t.Errorf("revoked token answered %d", got)
		}
		if r := api("POST", store+"/tokens/"+AcmeToken+"/reinstate", ""); r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if got := gql(); got != 200 {
			t.Errorf("reinstated token answered %d", got)
		}
	})

	t.Run("request count", func(t *testing.T) {
		api("DELETE", store+"/requests", "")
		gql()
		gql()
		if r := api("GET", store+"/requests", ""); r.json["requests"] != float64(2) {
			t.Errorf("GET requests: %s", r.body)
		}
		if r := api("DELETE", store+"/requests", ""); r.json["requests"] != float64(0) || s.Requests(AcmeDomain) != 0 {
			t.Errorf("DELETE requests: %s", r.body)
		}
	})

	errorCases := []struct {
		name, method, path, body string
		want                     int
	}{
		{"unknown store", "GET", "/_fake/stores/nope.myshopify.com", "", http.StatusNotFound},
		{"unknown store's faults", "PUT", "/_fake/stores/nope.myshopify.com/faults", `{}`, http.StatusNotFound},
		{"misspelt fault", "PUT", store + "/faults", `{"stauts": 503}`, http.StatusBadRequest},
		{"bad latency", "PUT", store + "/faults", `{"latency": "soon"}`, http.StatusBadRequest},
		{"status that cannot be forced", "PUT", store + "/faults", `{"status": 200}`, http.StatusBadRequest},
		{"unknown token", "POST", store + "/tokens/shpat_nope/revoke", "", http.StatusBadRequest},
		{"unknown route", "GET", "/_fake/nothing", "", http.StatusNotFound},
		{"wrong method", "PATCH", store + "/faults", `{}`, http.StatusMethodNotAllowed},
	}
	for _, tt := range errorCases {
		t.Run(tt.name, func(t *testing.T) {
			r := api(tt.method, tt.path, tt.body)
			if r.status != tt.want {
				t.Errorf("status %d, want %d; body %s", r.status, tt.want, r.body)
			}
			if r.header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", r.header.Get("Content-Type"))
			}
		})
	}
}
