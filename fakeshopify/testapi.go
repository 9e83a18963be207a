package fakeshopify

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
)

// storeView is how the test API shows a store.
type storeView struct {
	Domain         string         `json:"domain"`
	Name           string         `json:"name"`
	Currency       string         `json:"currency"`
	OrderPrefix    string         `json:"orderPrefix"`
	Tokens         []tokenView    `json:"tokens"`
	Requests       int            `json:"requests"`
	Faults         Faults         `json:"faults"`
	ThrottleStatus ThrottleStatus `json:"throttleStatus"`
}

// tokenView shows a token in full: the fake's tokens are published
// constants, and a person running the demo needs them to connect stores.
type tokenView struct {
	Token   string   `json:"token"`
	Scopes  []string `json:"scopes"`
	Revoked bool     `json:"revoked"`
}

func (s *Server) viewLocked(st *store) storeView {
	v := storeView{
		Domain:         st.info.Domain,
		Name:           st.info.Name,
		Currency:       st.info.Currency,
		OrderPrefix:    st.info.OrderPrefix,
		Tokens:         []tokenView{},
		Requests:       st.requests,
		Faults:         st.faults,
		ThrottleStatus: st.bucket.status(s.clock()),
	}
	for _, t := range st.info.Tokens {
		v.Tokens = append(v.Tokens, tokenView{
			Token: t.Value, Scopes: slices.Clone(t.Scopes), Revoked: st.tokens[t.Value].revoked,
		})
	}
	return v
}

// GET /_fake/stores
func (s *Server) listStores(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock() // status() refills the bucket
	defer s.mu.Unlock()
	out := []storeView{}
	for _, st := range s.stores {
		out = append(out, s.viewLocked(st))
	}
	slices.SortFunc(out, func(a, b storeView) int { return strings.Compare(a.Domain, b.Domain) })
	writeJSON(w, http.StatusOK, map[string]any{"stores": out})
}

// GET /_fake/stores/{shop}
func (s *Server) getStore(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(r.PathValue("shop"))
	if err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, s.viewLocked(st))
}

// GET /_fake/stores/{shop}/faults
func (s *Server) getFaults(w http.ResponseWriter, r *http.Request) {
	f, err := s.Faults(r.PathValue("shop"))
	if err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// PUT or POST /_fake/stores/{shop}/faults replaces the faults; fields left
// out are cleared. Unknown fields are refused, so a typo cannot silently
// leave a store healthy.
func (s *Server) putFaults(w http.ResponseWriter, r *http.Request) {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	var j faultsJSON
	if err := dec.Decode(&j); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "faults: " + err.Error()})
		return
	}
	raw, _ := json.Marshal(j)
	var f Faults
	if err := json.Unmarshal(raw, &f); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "faults: " + err.Error()})
		return
	}
	if err := s.SetFaults(r.PathValue("shop"), f); err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// DELETE /_fake/stores/{shop}/faults makes the store healthy again.
func (s *Server) deleteFaults(w http.ResponseWriter, r *http.Request) {
	if err := s.SetFaults(r.PathValue("shop"), Faults{}); err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, Faults{})
}

// POST /_fake/stores/{shop}/tokens/{token}/revoke
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	if err := s.RevokeToken(r.PathValue("shop"), r.PathValue("token")); err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"revoked": true})
}

// POST /_fake/stores/{shop}/tokens/{token}/reinstate
func (s *Server) reinstateToken(w http.ResponseWriter, r *http.Request) {
	if err := s.ReinstateToken(r.PathValue("shop"), r.PathValue("token")); err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"revoked": false})
}

// GET /_fake/stores/{shop}/requests
func (s *Server) getRequests(w http.ResponseWriter, r *http.Request) {
	shop := r.PathValue("shop")
	if !s.hasStore(shop) {
		writeTestAPIError(w, ErrUnknownStore)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"requests": s.Requests(shop)})
}

// DELETE /_fake/stores/{shop}/requests
func (s *Server) deleteRequests(w http.ResponseWriter, r *http.Request) {
	shop := r.PathValue("shop")
	if !s.hasStore(shop) {
		writeTestAPIError(w, ErrUnknownStore)
		return
	}
	s.ResetRequests(shop)
	writeJSON(w, http.StatusOK, map[string]int{"requests": 0})
}

func (s *Server) hasStore(shop string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, err := s.storeLocked(shop)
	return err == nil
}

// writeTestAPIError answers 404 for an unknown store and 400 otherwise.
func writeTestAPIError(w http.ResponseWriter, err error) {
	status := http.StatusBadRequest
	if errors.Is(err, ErrUnknownStore) {
		status = http.StatusNotFound
	}
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

// POST /_fake/stores/{shop}/tokens/{token}/expire
func (s *Server) expireToken(w http.ResponseWriter, r *http.Request) {
	if err := s.ExpireAccessToken(r.PathValue("shop"), r.PathValue("token")); err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"expired": true})
}

// GET /_fake/stores/{shop}/grants: the tokens the store's token endpoint
// granted, by grant type.
func (s *Server) getGrants(w http.ResponseWriter, r *http.Request) {
	g, err := s.Grants(r.PathValue("shop"))
	if err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, g)
}

// POST /_fake/stores/{shop}/apps/{client_id}/install
func (s *Server) postInstall(w http.ResponseWriter, r *http.Request) {
	if err := s.InstallApp(r.PathValue("shop"), r.PathValue("client_id")); err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"installed": true})
}

// PATCH /_fake/apps/{client_id} {"tokenTTL": "2m"}: how long the app's
// client credentials tokens last from now on.
func (s *Server) patchApp(w http.ResponseWriter, r *http.Request) {
	var j struct {
		TokenTTL string `json:"tokenTTL"`
	}
	if !decodeStrict(w, r, &j) {
		return
	}
	ttl, err := time.ParseDuration(j.TokenTTL)
	if err == nil {
		err = s.SetAppTokenTTL(r.PathValue("client_id"), ttl)
	}
	if err != nil {
		writeTestAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"tokenTTL": ttl.String()})
}
