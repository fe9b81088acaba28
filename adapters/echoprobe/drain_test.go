package echoprobe_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/probekit/probekit/internal/testenv"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/core"
)

// TestDrainAndShutdown serves Echo on a real listener and stops it with
// h.DrainAndShutdown(ctx, e): readiness turns 503 and stays so, liveness
// stays 200, and e.Start returns http.ErrServerClosed.
func TestDrainAndShutdown(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t, core.WithDrainDelay(0))
	e := newEcho()
	e.Pre(echoprobe.Middleware(h))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.Listener = ln
	served := make(chan error, 1)
	go func() { served <- e.Start("") }()

	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	resp, err := client.Get("http://" + ln.Addr().String() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /readyz before the drain = %d; want 200", resp.StatusCode)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.DrainAndShutdown(ctx, e); err != nil {
		t.Fatalf("DrainAndShutdown(ctx, e) = %v; want nil", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("e.Start() = %v; want %v", err, http.ErrServerClosed)
	}
	// The listener is closed; the engine still answers in-process.
	for target, want := range map[string]int{"/readyz": 503, "/healthz": 200} {
		if w := serve(e, "GET", target, false); w.Code != want {
			t.Errorf("GET %s after the drain = %d; want %d", target, w.Code, want)
		}
	}
}
