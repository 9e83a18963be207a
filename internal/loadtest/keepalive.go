package loadtest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Keepalive sends prepared HTTP/1.1 requests over a fixed set of keep-alive
// connections, as wrk does: each request is bytes written once, each
// response is read in place, and no transport goroutines or connection
// pool locks stand in between. A load generator that shares the machine
// with the server it measures must spend as little CPU as it can, or
// latency under concurrency mostly measures the generator; net/http's
// client spends several times more per request than this.
type Keepalive struct {
	addr  string
	conns chan *keepaliveConn
}

type keepaliveConn struct {
	c net.Conn
	r *bufio.Reader
}

// Response is what Keepalive read of a response.
type Response struct {
	Status int
	Header http.Header
	Bytes  int64 // of the body, as sent (not decompressed)
}

// NewKeepalive returns a client for up to conns concurrent requests to the
// host:port addr. Connections open on first use.
func NewKeepalive(addr string, conns int) *Keepalive {
	k := &Keepalive{addr: addr, conns: make(chan *keepaliveConn, conns)}
	for range conns {
		k.conns <- nil
	}
	return k
}

// GetRequest returns the bytes of a GET request for path with header, for
// Do.
func GetRequest(host, path string, header http.Header) []byte {
	var b strings.Builder
	b.WriteString("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: shopcard-loadtest\r\n")
	for k, vs := range header {
		for _, v := range vs {
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}

// Do sends req on a free connection and reads the whole response.
func (k *Keepalive) Do(ctx context.Context, req []byte) (Response, error) {
	var conn *keepaliveConn
	select {
	case conn = <-k.conns:
	case <-ctx.Done():
		return Response{}, ctx.Err()
	}
	res, err := k.roundTrip(ctx, &conn, req)
	if err != nil && conn != nil {
		conn.c.Close()
		conn = nil
	}
	k.conns <- conn
	return res, err
}

func (k *Keepalive) roundTrip(ctx context.Context, conn **keepaliveConn, req []byte) (Response, error) {
	if *conn == nil {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", k.addr)
		if err != nil {
			return Response{}, err
		}
		*conn = &keepaliveConn{c: c, r: bufio.NewReaderSize(c, 32<<10)}
	}
	c := *conn
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(30 * time.Second)
	}
	c.c.SetDeadline(deadline)
	if _, err := c.c.Write(req); err != nil {
		return Response{}, err
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return Response{}, err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return Response{}, err
	}
	if resp.Close {
		return Response{}, fmt.Errorf("the server closed the connection")
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Bytes: n}, nil
}

// Close closes the connections.
func (k *Keepalive) Close() {
	for range cap(k.conns) {
		if c := <-k.conns; c != nil {
			c.c.Close()
		}
	}
}
