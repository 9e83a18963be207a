package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// shutdownTimeout bounds how long requests in flight may take to finish
// once the server is told to stop.
const shutdownTimeout = 15 * time.Second

// Listen opens addr, telling the operator what to do when it is taken.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w (pick another address with --addr, e.g. --addr 127.0.0.1:0 for any free port)", addr, err)
	}
	return ln, nil
}

// MaxHeaderBytes bounds a request's line and headers, on every route: the
// sidebar's URL and X-Shopcard-Token carry a token of at most 8 KiB
// (embedtoken.MaxTokenLength), and net/http's default of 1 MiB would let a
// client make every request parse a megabyte. Larger requests get 431.
const MaxHeaderBytes = 32 << 10

// NewHTTPServer is the HTTP server shopcard runs handler with, in serve
// and in the load test alike: bounded headers and timeouts for slow
// clients.
func NewHTTPServer(handler http.Handler) *http.Server {
	return &http.Server{
		Handler:           handler,
		MaxHeaderBytes:    MaxHeaderBytes,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
}

// Serve serves the application on ln until ctx ends or SIGINT/SIGTERM
// arrives, then shuts down gracefully, letting requests in flight finish,
// and says "stopped" on stdout.
func (a *App) Serve(ctx context.Context, ln net.Listener, stdout io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := NewHTTPServer(a.HTTP)
	srv.BaseContext = func(net.Listener) context.Context { return context.WithoutCancel(ctx) }
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "stopped")
	return nil
}
