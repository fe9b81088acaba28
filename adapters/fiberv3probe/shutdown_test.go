package fiberv3probe_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/fibertest"
	"github.com/probekit/probekit/internal/testenv"
)

// newDrainApp is an app with the probe line and a route of its own.
func newDrainApp(h *core.Health) *fiber.App {
	app := fiber.New()
	app.Use(fiberv3probe.New(h))
	app.Get("/api/work", func(c fiber.Ctx) error { return c.SendString("done") })
	return app
}

// wantServing checks over the wire that the app at addr is draining and
// still serving: readiness 503 draining, liveness 200, the app's route 200.
func wantServing(t *testing.T, addr string) {
	t.Helper()
	if got := raw(t, addr, "GET", "/readyz"); got.code != 503 || !strings.Contains(got.body, `"status":"draining"`) {
		t.Errorf("GET /readyz while draining = %d %q; want 503 draining", got.code, got.body)
	}
	if got := raw(t, addr, "GET", "/healthz"); got.code != 200 {
		t.Errorf("GET /healthz while draining = %d; want 200", got.code)
	}
	if got := raw(t, addr, "GET", "/api/work"); got.code != 200 || got.body != "done" {
		t.Errorf("GET /api/work while draining = %d %q; want 200 done", got.code, got.body)
	}
}

// wantClosed checks that the app has stopped: Listener returned nil and
// nothing accepts at addr.
func wantClosed(t *testing.T, addr string, served <-chan error) {
	t.Helper()
	if err := <-served; err != nil {
		t.Errorf("Listener = %v after the shutdown; want nil", err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Errorf("the listener still accepts connections after the shutdown")
	} else if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dialling the app after the shutdown: %v; want connection refused", err)
	}
}

// TestServer runs the drain sequence on a real listener: readiness 503 at
// once while the app still serves (liveness 200, its route 200), then, when
// the drain ends, the listener closed and DrainAndShutdown and Listener
// returning nil.
func TestServer(t *testing.T) {
	t.Parallel()
	// The drain delay never ends on its own: the test ends it by
	// cancelling ctx once it has seen the app serve while draining.
	h := testenv.NewHealth(t, core.WithDrainDelay(time.Hour))
	app := newDrainApp(h)
	addr, served := fibertest.Listen(t, quiet(app))
	if got := raw(t, addr, "GET", "/readyz"); got.code != 200 {
		t.Fatalf("GET /readyz before the drain = %d; want 200", got.code)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	drained := make(chan error, 1)
	go func() { drained <- h.DrainAndShutdown(ctx, fiberv3probe.Server(app)) }()
	testenv.Eventually(t, 10*time.Second, func() error {
		if got := readiness(h); got != 503 {
			return fmt.Errorf("readiness = %d; want 503", got)
		}
		return nil
	})
	wantServing(t, addr)
	// Every test connection was Connection: close; wait until the server
	// has let go of them, so that the shutdown has nothing to wait for.
	testenv.Eventually(t, 10*time.Second, func() error {
		if n := app.Server().GetOpenConnectionsCount(); n != 0 {
			return fmt.Errorf("%d open connections", n)
		}
		return nil
	})
	cancel() // the drain delay is over
	if err := <-drained; err != nil {
		t.Errorf("DrainAndShutdown = %v; want nil", err)
	}
	wantClosed(t, addr, served)
}

// TestDrainOnShutdownGracefulContext serves the app with Fiber v3's
// ListenConfig.GracefulContext and DrainOnShutdown: when the context ends,
// Fiber shuts the app down itself, and the OnPreShutdown hook drains h while
// the app still serves. A hook registered after DrainOnShutdown holds the
// shutdown there until the test has looked.
func TestDrainOnShutdownGracefulContext(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t, core.WithDrainDelay(0)) // the delay: TestDrainOnShutdownDelay
	app := newDrainApp(h)
	fiberv3probe.DrainOnShutdown(app, h)
	inHook, release := make(chan struct{}), make(chan struct{})
	releaseOnce := sync.OnceFunc(func() { close(release) })
	t.Cleanup(releaseOnce)
	app.Hooks().OnPreShutdown(func() error {
		close(inHook)
		<-release
		return nil
	})
	graceful, stop := context.WithCancel(context.Background())
	defer stop()
	addr, served := fibertest.Listen(t, quiet(app, fiber.ListenConfig{GracefulContext: graceful, ShutdownTimeout: time.Minute}))
	if got := raw(t, addr, "GET", "/readyz"); got.code != 200 {
		t.Fatalf("GET /readyz before the shutdown = %d; want 200", got.code)
	}

	stop() // SIGTERM, as signal.NotifyContext would say it
	<-inHook
	wantServing(t, addr)
	releaseOnce()
	wantClosed(t, addr, served)
	if got := readiness(h); got != 503 {
		t.Errorf("readiness after the shutdown = %d; want 503", got)
	}
}

// TestDrainOnShutdownDelay checks on a synctest clock how long the hook
// holds the shutdown: the drain delay, whoever shuts the app down and
// whether or not h is draining already (the checks' context ended with
// SIGTERM, say); twice the delay when DrainAndShutdown with Server shuts
// the app down too, as the documentation warns.
func TestDrainOnShutdownDelay(t *testing.T) {
	t.Parallel()
	const delay = 5 * time.Second
	tests := []struct {
		name         string
		shutdown     func(app *fiber.App, h *core.Health) error
		wantNextHook time.Duration // from the shutdown call to the hook after DrainOnShutdown's
		wantTotal    time.Duration
	}{
		{"app.Shutdown", func(app *fiber.App, _ *core.Health) error { return app.Shutdown() }, delay, delay},
		{"ShutdownWithContext", func(app *fiber.App, _ *core.Health) error {
			return app.ShutdownWithContext(context.Background())
		}, delay, delay},
		{"already draining", func(app *fiber.App, h *core.Health) error {
			h.Drain()
			return app.Shutdown()
		}, delay, delay},
		{"and DrainAndShutdown with Server", func(app *fiber.App, h *core.Health) error {
			return h.DrainAndShutdown(context.Background(), fiberv3probe.Server(app))
		}, 2 * delay, 2 * delay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				h := core.MustNew(core.WithLogger(nil), core.WithDrainDelay(delay))
				defer h.Close()
				app := fiber.New()
				fiberv3probe.DrainOnShutdown(app, h)
				start := time.Now()
				var nextHook time.Duration
				var ready, live int
				app.Hooks().OnPreShutdown(func() error {
					nextHook = time.Since(start)
					ready = readiness(h)
					live = probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/healthz"}).StatusCode()
					return nil
				})
				if err := tt.shutdown(app, h); err != nil {
					t.Errorf("shutdown = %v; want nil", err)
				}
				total := time.Since(start)
				if nextHook != tt.wantNextHook || total != tt.wantTotal {
					t.Errorf("next hook after %v, shutdown returned after %v; want %v, %v", nextHook, total, tt.wantNextHook, tt.wantTotal)
				}
				if ready != 503 || live != 200 {
					t.Errorf("after DrainOnShutdown's hook: readiness %d, liveness %d; want 503, 200", ready, live)
				}
			})
		})
	}
}
