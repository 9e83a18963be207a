package fakeshopify

import (
	"encoding/json"
	"fmt"
	"time"
)

// Faults make a store misbehave, to test how clients cope. The zero value
// is a healthy store. Set them with SetFaults or over the test API.
//
// A request first waits out Latency (or until its context ends), then
// fails with FailNextStatus while FailNext is positive, else with Status
// if set; only then are the token, the query and the bucket checked.
type Faults struct {
	// Latency delays every GraphQL request.
	Latency time.Duration
	// Status, when non-zero, fails every GraphQL request with that HTTP
	// status and a Shopify-like body. One of 400, 401, 402, 403, 404, 423,
	// 429, 500, 502, 503.
	Status int
	// FailNext fails the next FailNext requests with FailNextStatus (same
	// choices as Status), then the store recovers. Each failed request
	// counts one down.
	FailNext       int
	FailNextStatus int
	// ThrottleNext answers the next ThrottleNext requests that get as far
	// as the bucket with THROTTLED, whatever the bucket holds.
	ThrottleNext int
	// StatusMessage, when set, replaces the "errors" text Shopify usually
	// sends with the forced status: Shopify answers 403 both for a scope
	// that needs the merchant's approval and, with "Unavailable Shop", for
	// some frozen or paused shops.
	StatusMessage string
	// WithholdProtectedData models an app not approved for protected
	// customer data (level 2): firstName, lastName, defaultEmailAddress and
	// defaultPhoneNumber come back null, each with an ACCESS_DENIED error,
	// while the rest of the data arrives.
	WithholdProtectedData bool
}

// faultStatuses are the statuses a fault may force, each with the body
// Shopify sends with it.
var faultStatuses = map[int]string{
	400: "Bad Request",
	401: invalidTokenMessage,
	402: "Unavailable Shop",
	403: "[API] This action requires merchant approval for read_orders scope.",
	404: "Not Found",
	423: "Locked",
	429: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
	500: "Internal Server Error",
	502: "Bad Gateway",
	503: "Service Unavailable",
}

func (f Faults) validate() error {
	if f.Latency < 0 || f.FailNext < 0 || f.ThrottleNext < 0 {
		return fmt.Errorf("fakeshopify: faults cannot be negative: %+v", f)
	}
	if _, ok := faultStatuses[f.Status]; f.Status != 0 && !ok {
		return fmt.Errorf("fakeshopify: status %d cannot be forced; use one of 400, 401, 402, 403, 404, 423, 429, 500, 502, 503", f.Status)
	}
	if _, ok := faultStatuses[f.FailNextStatus]; f.FailNext > 0 && !ok {
		return fmt.Errorf("fakeshopify: failNextStatus %d cannot be forced; use one of 400, 401, 402, 403, 404, 423, 429, 500, 502, 503", f.FailNextStatus)
	}
	return nil
}

// faultsJSON is the test API's shape of Faults: latency is a Go duration
// string such as "1.5s", which is easier to type than nanoseconds.
type faultsJSON struct {
	Latency               string `json:"latency,omitempty"`
	Status                int    `json:"status,omitempty"`
	FailNext              int    `json:"failNext,omitempty"`
	FailNextStatus        int    `json:"failNextStatus,omitempty"`
	ThrottleNext          int    `json:"throttleNext,omitempty"`
	StatusMessage         string `json:"statusMessage,omitempty"`
	WithholdProtectedData bool   `json:"withholdProtectedData,omitempty"`
}

// MarshalJSON writes Faults as the test API shows them.
func (f Faults) MarshalJSON() ([]byte, error) {
	j := faultsJSON{
		Status: f.Status, FailNext: f.FailNext, FailNextStatus: f.FailNextStatus,
		ThrottleNext: f.ThrottleNext, StatusMessage: f.StatusMessage, WithholdProtectedData: f.WithholdProtectedData,
	}
	if f.Latency > 0 {
		j.Latency = f.Latency.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads Faults as the test API accepts them.
func (f *Faults) UnmarshalJSON(b []byte) error {
	var j faultsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*f = Faults{
		Status: j.Status, FailNext: j.FailNext, FailNextStatus: j.FailNextStatus,
		ThrottleNext: j.ThrottleNext, StatusMessage: j.StatusMessage, WithholdProtectedData: j.WithholdProtectedData,
	}
	if j.Latency != "" {
		d, err := time.ParseDuration(j.Latency)
		if err != nil {
			return fmt.Errorf("latency: %w", err)
		}
		f.Latency = d
	}
	return nil
}

// SetFaults replaces a store's faults.
func (s *Server) SetFaults(shop string, f Faults) error {
	if err := f.validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return err
	}
	st.faults = f
	return nil
}

// Faults returns a store's current faults, with FailNext and ThrottleNext
// counted down by the requests they have failed so far.
func (s *Server) Faults(shop string) (Faults, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return Faults{}, err
	}
	return st.faults, nil
}

// RevokeToken makes a store's token fail with 401, as when a merchant
// uninstalls the app or rotates the token.
func (s *Server) RevokeToken(shop, token string) error {
	return s.setRevoked(shop, token, true)
}

// ReinstateToken undoes RevokeToken.
func (s *Server) ReinstateToken(shop, token string) error {
	return s.setRevoked(shop, token, false)
}

func (s *Server) setRevoked(shop, token string, revoked bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, t, err := s.tokenLocked(shop, token)
	if err != nil {
		return err
	}
	t.revoked = revoked
	return nil
}

// Requests counts the GraphQL requests a store has received since it was
// added or last reset, whatever their outcome (faults, 401s and THROTTLED
// included), so tests can see a client's retries and cache hits.
func (s *Server) Requests(shop string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return 0
	}
	return st.requests
}

// ResetRequests sets a store's request count back to zero.
func (s *Server) ResetRequests(shop string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, err := s.storeLocked(shop); err == nil {
		st.requests = 0
	}
}
