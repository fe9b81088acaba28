package fiberprobe_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/fibertest"
	"github.com/probekit/probekit/internal/testenv"
)

// readiness returns h's readiness status code, read from the core.
func readiness(h *core.Health) int {
	return probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/readyz"}).StatusCode()
}

// TestServer runs the drain sequence on a real listener: readiness 503 at
// once while the app still serves (liveness 200), then, when the drain
// ends, the listener closed and Listener returning nil.
func TestServer(t *testing.T) {
	t.Parallel()
	// The drain delay never ends on its own: the test ends it by
	// cancelling ctx once it has seen the app answer 503.
	h := testenv.NewHealth(t, core.WithDrainDelay(time.Hour))
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(fiberprobe.New(h))
	addr, served := fibertest.Listen(t, quiet(app))
	if got := raw(t, addr, "GET", "/readyz"); got.code != 200 {
		t.Fatalf("GET /readyz before the drain = %d; want 200", got.code)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	drained := make(chan error, 1)
	go func() { drained <- h.DrainAndShutdown(ctx, fiberprobe.Server(app)) }()
	testenv.Eventually(t, 10*time.Second, func() error {
		if got := raw(t, addr, "GET", "/readyz"); got.code != 503 || !strings.Contains(got.body, `"status":"draining"`) {
			return fmt.Errorf("GET /readyz = %d %q; want 503 draining", got.code, got.body)
		}
		return nil
	})
	if got := raw(t, addr, "GET", "/healthz"); got.code != 200 {
		t.Errorf("GET /healthz while draining = %d; want 200", got.code)
	}
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
	if err := <-served; err != nil {
		t.Errorf("Listener = %v after the shutdown; want nil", err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Errorf("the listener still accepts connections after DrainAndShutdown")
	}
}

// TestDrainOnShutdown shows when Fiber runs OnShutdown hooks: after the
// listener is closed. The hook drains the Health, for whatever else serves
// it; the app itself no longer answers by then.
func TestDrainOnShutdown(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(fiberprobe.New(h))
	fiberprobe.DrainOnShutdown(app, h)
	addr, served := fibertest.Listen(t, quiet(app))
	type seen struct {
		readiness int
		dialErr   error
	}
	inHook := make(chan seen, 1)
	// Hooks run in the order they were registered: this one runs after
	// DrainOnShutdown's.
	app.Hooks().OnShutdown(func() error {
		s := seen{readiness: readiness(h)}
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		s.dialErr = err
		inHook <- s
		return nil
	})
	if got := raw(t, addr, "GET", "/readyz"); got.code != 200 {
		t.Fatalf("GET /readyz = %d; want 200", got.code)
	}
	testenv.Eventually(t, 10*time.Second, func() error {
		if n := app.Server().GetOpenConnectionsCount(); n != 0 {
			return fmt.Errorf("%d open connections", n)
		}
		return nil
	})

	if err := app.ShutdownWithContext(context.Background()); err != nil {
		t.Fatalf("ShutdownWithContext = %v", err)
	}
	s := <-inHook
	if s.readiness != 503 {
		t.Errorf("readiness in the OnShutdown hook = %d; want 503 (drained)", s.readiness)
	}
	if !errors.Is(s.dialErr, syscall.ECONNREFUSED) {
		t.Errorf("dialling the app from the OnShutdown hook: %v; want connection refused (listener closed)", s.dialErr)
	}
	if err := <-served; err != nil {
		t.Errorf("Listener = %v; want nil", err)
	}
	if got := readiness(h); got != 503 {
		t.Errorf("readiness after app shutdown = %d; want 503", got)
	}
}
