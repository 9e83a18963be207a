package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"shopcard/handlers"
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
// and says "stopped" on stdout. Metrics are served on a listener of their
// own (SHOPCARD_METRICS_ADDR) unless it is off: the public port serves
// them only to the bearer of SHOPCARD_METRICS_TOKEN.
func (a *App) Serve(ctx context.Context, ln net.Listener, stdout io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	servers := []*http.Server{NewHTTPServer(a.HTTP)}
	listeners := []net.Listener{ln}
	if addr := a.Config.MetricsAddr; addr != "" {
		mln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("metrics: listen on %s: %w (set SHOPCARD_METRICS_ADDR to a free address, e.g. 127.0.0.1:0, or to off)", addr, err)
		}
		defer mln.Close()
		if !a.Config.MetricsOnLoopback() && a.Config.MetricsToken.IsZero() {
			a.Logger.Warn("METRICS ARE OPEN TO ANYONE WHO CAN REACH "+mln.Addr().String()+": they name every store; set SHOPCARD_METRICS_TOKEN or listen on loopback",
				slog.String("addr", mln.Addr().String()))
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", handlers.MetricsHandler(a.Metrics.Handler(), a.Config.MetricsToken))
		servers = append(servers, NewHTTPServer(mux))
		listeners = append(listeners, mln)
		fmt.Fprintf(stdout, "shopcard metrics on http://%s/metrics\n", mln.Addr())
		a.Logger.Info("metrics listening", slog.String("url", "http://"+mln.Addr().String()+"/metrics"))
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		srv.BaseContext = func(net.Listener) context.Context { return context.WithoutCancel(ctx) }
		go func() { errc <- srv.Serve(listeners[i]) }()
	}
	select {
	case err := <-errc:
		for _, srv := range servers {
			srv.Close()
		}
		return err
	case <-ctx.Done():
	}
	a.Logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(shutdownCtx); err != nil {
			return fmt.Errorf("shutdown: %w", err)
		}
	}
	for range servers {
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	fmt.Fprintln(stdout, "stopped")
	return nil
}
