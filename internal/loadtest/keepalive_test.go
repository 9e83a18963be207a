package loadtest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestKeepaliveReusesConnections(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Token") != "t" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Write([]byte(strings.Repeat("x", 5000)))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	k := NewKeepalive(host, 4)
	defer k.Close()
	req := GetRequest(host, "/x", http.Header{"X-Token": {"t"}})
	stats := Run(context.Background(), 4, 200, func(ctx context.Context) error {
		res, err := k.Do(ctx, req)
		if err != nil {
			return err
		}
		if res.Status != http.StatusOK || res.Bytes != 5000 || res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("response %+v", res)
		}
		return nil
	})
	if stats.Requests != 200 || stats.Errors != 0 {
		t.Errorf("stats %+v", stats)
	}
	if n := conns.Load(); n > 4 {
		t.Errorf("%d connections for 4 workers", n)
	}
	res, err := k.Do(context.Background(), GetRequest(host, "/x", nil))
	if err != nil || res.Status != http.StatusUnauthorized {
		t.Errorf("without the header: %+v %v", res, err)
	}
}
