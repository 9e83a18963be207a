package fakeshopify

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"
)

// supportedVersions are the Admin API versions Shopify serves, oldest
// first.
var supportedVersions = []string{"2026-01", "2026-04", "2026-07", "2026-10"}

// servedVersion is the version Shopify answers a request for version with:
// the same one if supported, else, silently, the oldest supported one.
func servedVersion(version string) string {
	if slices.Contains(supportedVersions, version) {
		return version
	}
	return supportedVersions[0]
}

// maxBodyBytes bounds a request body; real queries are a few kilobytes.
const maxBodyBytes = 1 << 20

// serveGraphQL answers POST /shops/{shop}/admin/api/{version}/graphql.json
// in the order Shopify's stack does: shop, faults (the edge), token, body,
// then the GraphQL layer, whose answers are all HTTP 200.
func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Shopify-API-Version", servedVersion(r.PathValue("version")))
	w.Header().Set("X-Request-Id", requestID())
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, shopifyErrorBody("Method Not Allowed"))
		return
	}
	// Read the body before waiting out any latency: once it is read, the
	// server notices a client that hangs up, and the wait ends with it.
	body, bodyErr := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	shop := strings.ToLower(r.PathValue("shop"))
	st, latency, status, message, ok := s.admit(shop)
	if !ok {
		writeJSON(w, http.StatusNotFound, shopifyErrorBody("Not Found"))
		return
	}
	// A request that fails before the GraphQL layer waits out the latency
	// and then meets its fault; one that reaches it waits while it runs,
	// holding its requested cost (see execute).
	if status != 0 {
		if sleep(r.Context(), latency) {
			writeFault(w, status, message)
		}
		return
	}
	sc, ok := s.authenticate(st, r.Header.Get("X-Shopify-Access-Token"))
	if !ok {
		if sleep(r.Context(), latency) {
			writeJSON(w, http.StatusUnauthorized, shopifyErrorBody(invalidTokenMessage))
		}
		return
	}
	req, err := decodeRequest(r, body, bodyErr)
	if err != nil {
		if sleep(r.Context(), latency) {
			writeJSON(w, http.StatusBadRequest, missingQueryBody)
		}
		return
	}
	resp, answered := s.execute(r.Context(), sc, req, latency)
	if answered {
		writeJSON(w, http.StatusOK, resp)
	}
}

// admit counts the request against its store and decides which HTTP
// fault, if any, it meets (FailNext before Status), with the message it
// comes with ("" for Shopify's usual one).
func (s *Server) admit(shop string) (st *store, latency time.Duration, status int, message string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(shop)
	if err != nil {
		return nil, 0, 0, "", false
	}
	st.requests++
	f := &st.faults
	status = f.Status
	if f.FailNext > 0 {
		f.FailNext--
		status = f.FailNextStatus
	}
	return st, f.Latency, status, f.StatusMessage, true
}

// sleep waits d, or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// writeFault answers with a forced status and the body Shopify sends with
// it, or the given message instead.
func writeFault(w http.ResponseWriter, status int, message string) {
	switch status {
	case http.StatusTooManyRequests:
		w.Header().Set("Retry-After", "2.0")
	}
	if message == "" {
		message = faultStatuses[status]
	}
	writeJSON(w, status, shopifyErrorBody(message))
}

// authenticate checks the access token and captures, for the resolvers,
// everything about the request that the test API may change meanwhile.
func (s *Server) authenticate(st *store, token string) (*requestScope, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, ok := st.tokens[token]
	if token == "" || !ok || t.revoked || (!t.expiresAt.IsZero() && !s.clock().Before(t.expiresAt)) {
		return nil, false
	}
	return &requestScope{
		srv:      s,
		st:       st,
		shop:     st.info,
		clientID: t.clientID,
		scopes:   slices.Clone(t.scopes),
		withhold: st.faults.WithholdProtectedData,
		now:      s.clock(),
	}, true
}

// gqlRequest is a GraphQL request body.
type gqlRequest struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables"`
	OperationName string         `json:"operationName"`
}

// decodeRequest reads a JSON body, or a bare query sent as
// application/graphql, which Shopify also accepts.
func decodeRequest(r *http.Request, body []byte, readErr error) (gqlRequest, error) {
	if readErr != nil {
		return gqlRequest{}, readErr
	}
	var req gqlRequest
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/graphql" {
		req.Query = string(body)
	} else if err := json.Unmarshal(body, &req); err != nil {
		return gqlRequest{}, err
	}
	if strings.TrimSpace(req.Query) == "" {
		return gqlRequest{}, fmt.Errorf("no query")
	}
	if req.Variables == nil {
		req.Variables = map[string]any{}
	}
	return req, nil
}

// requestID makes an X-Request-Id like Shopify's, for clients that log it.
func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
