package echov5probe_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

type ctxKey struct{}

// TestDrainContextTiming checks DrainContext on a synctest clock: nothing
// happens while ctx lives; when it ends, readiness turns 503 at once
// (liveness stays 200) and the returned context ends exactly the drain
// delay later, carrying ctx's values throughout.
func TestDrainContextTiming(t *testing.T) {
	t.Parallel()
	for _, delay := range []time.Duration{5 * time.Second, 0} {
		t.Run(delay.String(), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				h := core.MustNew(core.WithLogger(nil), core.WithDrainDelay(delay))
				defer h.Close()
				e := newEcho()
				e.Pre(echov5probe.Middleware(h))
				status := func() (ready, live int) {
					return serve(e, "GET", "/readyz", false).Code, serve(e, "GET", "/healthz", false).Code
				}

				ctx, signal := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "app"))
				drained := echov5probe.DrainContext(ctx, h)
				time.Sleep(time.Hour) // ctx still lives
				synctest.Wait()
				if ready, live := status(); drained.Err() != nil || ready != 200 || live != 200 {
					t.Fatalf("before the signal: context error %v, /readyz %d, /healthz %d; want nil, 200, 200", drained.Err(), ready, live)
				}

				signal()
				synctest.Wait()
				if ready, live := status(); ready != 503 || live != 200 {
					t.Errorf("at the signal: /readyz %d, /healthz %d; want 503, 200", ready, live)
				}
				if delay > 0 {
					if drained.Err() != nil {
						t.Fatalf("at the signal: context error %v; want nil for the drain delay", drained.Err())
					}
					time.Sleep(delay - time.Nanosecond)
					synctest.Wait()
					if drained.Err() != nil {
						t.Fatalf("1ns before the drain delay: context error %v; want nil", drained.Err())
					}
					time.Sleep(time.Nanosecond)
					synctest.Wait()
				}
				if !errors.Is(drained.Err(), context.Canceled) {
					t.Errorf("after the drain delay: context error %v; want %v", drained.Err(), context.Canceled)
				}
				if got := drained.Value(ctxKey{}); got != "app" {
					t.Errorf("Value(key) = %v; want ctx's value %q", got, "app")
				}
			})
		})
	}
}

// TestDrainAndShutdownHTTPServer runs e behind the app's own *http.Server
// and stops it with h.DrainAndShutdown(ctx, srv): Serve returns
// http.ErrServerClosed, readiness turns 503 and liveness stays 200.
func TestDrainAndShutdownHTTPServer(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t, core.WithDrainDelay(0))
	e := newEcho()
	e.Pre(echov5probe.Middleware(h))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	if code := getCode(t, client, "http://"+ln.Addr().String()+"/readyz"); code != 200 {
		t.Fatalf("GET /readyz before the drain = %d; want 200", code)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.DrainAndShutdown(ctx, srv); err != nil {
		t.Fatalf("DrainAndShutdown(ctx, srv) = %v; want nil", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("srv.Serve() = %v; want %v", err, http.ErrServerClosed)
	}
	for target, want := range map[string]int{"/readyz": 503, "/healthz": 200} {
		if w := serve(e, "GET", target, false); w.Code != want {
			t.Errorf("GET %s after the drain = %d; want %d", target, w.Code, want)
		}
	}
}

// getCode sends GET url and returns the status code, failing the test on a
// transport error.
func getCode(t *testing.T, client *http.Client, url string) int {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}
