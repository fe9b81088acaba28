package fiberv3probe_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gofiber/fiber/v3"
	fiberrecover "github.com/gofiber/fiber/v3/middleware/recover"

	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/adapters/fiberv3probe/internal/fastkit"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/traffictest"
)

var (
	// errTooMany is an app error that the app's ErrorHandler maps to 429.
	errTooMany = errors.New("too many requests")
	// errUnhandled is an app error that the app's ErrorHandler fails on.
	errUnhandled = errors.New("unhandled")
)

// appErrorHandler is an app's ErrorHandler: errTooMany is a 429,
// errUnhandled makes it fail, everything else is as Fiber's default.
func appErrorHandler(c fiber.Ctx, err error) error {
	switch {
	case errors.Is(err, errTooMany):
		return c.Status(fiber.StatusTooManyRequests).SendString("slow down")
	case errors.Is(err, errUnhandled):
		return fmt.Errorf("error handler: %w", err)
	}
	return fiber.DefaultErrorHandler(c, err)
}

// newTrafficApp returns an app with the app's ErrorHandler, the
// middleware that use registers, and a route for each way a Fiber app
// answers.
func newTrafficApp(use func(app *fiber.App)) *fiber.App {
	app := fiber.New(fiber.Config{ErrorHandler: appErrorHandler})
	use(app)
	app.Get("/ok", func(c fiber.Ctx) error { return c.SendString("ok") })
	app.Post("/created", func(c fiber.Ctx) error { return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": 1}) })
	app.Get("/silent", func(fiber.Ctx) error { return nil })
	app.Get("/bad-request", func(fiber.Ctx) error { return fiber.NewError(fiber.StatusBadRequest, "bad") })
	app.Get("/fail", func(c fiber.Ctx) error { return c.Status(fiber.StatusInternalServerError).SendString("boom") })
	app.Get("/unavailable", func(fiber.Ctx) error { return fiber.ErrServiceUnavailable })
	app.Get("/error", func(fiber.Ctx) error { return errors.New("db down") })
	app.Get("/teapot", func(fiber.Ctx) error { return fmt.Errorf("brewing: %w", fiber.ErrTeapot) })
	app.Get("/too-many", func(fiber.Ctx) error { return fmt.Errorf("quota: %w", errTooMany) })
	app.Get("/unhandled", func(fiber.Ctx) error { return errUnhandled })
	app.Get("/written-then-error", func(c fiber.Ctx) error {
		_ = c.SendString("partial") // not sent yet: the ErrorHandler replaces it
		return errors.New("too late")
	})
	app.Get("/panic", func(fiber.Ctx) error { panic("boom") })
	return app
}

// serveTraffic is traffictest's App.Serve for Fiber v3: Traffic right
// after New, or before it.
func serveTraffic(t *testing.T, m traffictest.Mount, h *core.Health, rec *trafficcheck.Recorder) traffictest.Client {
	app := newTrafficApp(func(app *fiber.App) {
		switch m {
		case traffictest.RecoverFirst:
			app.Use(fiberrecover.New(), fiberv3probe.Traffic(rec))
		case traffictest.RecoverAfter:
			app.Use(fiberv3probe.Traffic(rec), fiberrecover.New())
		case traffictest.ProbesFirst:
			app.Use(fiberv3probe.New(h), fiberv3probe.Traffic(rec))
		case traffictest.ProbesSkipped:
			app.Use(fiberv3probe.TrafficWithConfig(fiberv3probe.TrafficConfig{Next: fiberv3probe.Skipper(h), Recorder: rec}))
			app.Use(fiberv3probe.New(h))
		case traffictest.ProbesCounted:
			app.Use(fiberv3probe.Traffic(rec), fiberv3probe.New(h))
		default:
			t.Fatalf("mount %d: unknown", m)
		}
	})
	return func(method, target string) (int, string) {
		t.Helper()
		got := do(t, app, method, target)
		return got.code, got.body
	}
}

func TestTraffic(t *testing.T) {
	t.Parallel()
	traffictest.Run(t, traffictest.App{
		Adapter: "fiberv3probe",
		Serve:   serveTraffic,
		Direct: func(rec *trafficcheck.Recorder, code int, then func()) func() {
			app := fiber.New() // no recover: a panic leaves the app
			app.Use(fiberv3probe.Traffic(rec))
			app.Get("/", func(c fiber.Ctx) error {
				c.Status(code)
				then()
				return nil
			})
			// The app's handler, called in process: app.Test would start
			// goroutines that outlive a synctest bubble.
			handler := app.Handler()
			return func() { handler(fastkit.NewRequestCtx(fiber.MethodGet, "/")) }
		},
		NilTraffic:           func() { fiberv3probe.Traffic(nil) },
		NilTrafficWithConfig: func() { fiberv3probe.TrafficWithConfig(fiberv3probe.TrafficConfig{}) },
		Cases: []traffictest.Case{
			{Name: "plain error", Method: "GET", Target: "/error", WantCode: 500},
			{Name: "wrapped fiber.Error", Method: "GET", Target: "/teapot", WantCode: 418},
			{Name: "error mapped by the app's handler", Method: "GET", Target: "/too-many", WantCode: 429},
			{Name: "error the app's handler fails on", Method: "GET", Target: "/unhandled", WantCode: 500},
			{Name: "error after a written body", Method: "GET", Target: "/written-then-error", WantCode: 500},
		},
	})
}

// TestTrafficMountedErrorHandler checks that an error from a mounted
// sub-app goes to the sub-app's ErrorHandler, as it would without Traffic.
func TestTrafficMountedErrorHandler(t *testing.T) {
	t.Parallel()
	spy := traffictest.NewSpy()
	sub := fiber.New(fiber.Config{ErrorHandler: func(c fiber.Ctx, err error) error {
		return c.Status(fiber.StatusTeapot).SendString(err.Error())
	}})
	sub.Get("/x", func(fiber.Ctx) error { return errors.New("sub failed") })
	app := fiber.New()
	app.Use(fiberv3probe.Traffic(spy.Recorder))
	app.Use("/sub", sub)
	if got := do(t, app, "GET", "/sub/x"); got.code != fiber.StatusTeapot || got.body != "sub failed" {
		t.Errorf("GET /sub/x = %d %q; want %d %q", got.code, got.body, fiber.StatusTeapot, "sub failed")
	}
	spy.Want(t, fiber.StatusTeapot)
}

// TestTrafficHandlesErrorOnce checks that an error is handed to the app's
// ErrorHandler once, by Traffic, and that middleware registered before
// Traffic sees nil, as behind Fiber's logger.
func TestTrafficHandlesErrorOnce(t *testing.T) {
	t.Parallel()
	handled := 0
	var outer error = errors.New("not called")
	app := fiber.New(fiber.Config{ErrorHandler: func(c fiber.Ctx, err error) error {
		handled++
		return fiber.DefaultErrorHandler(c, err)
	}})
	app.Use(func(c fiber.Ctx) error {
		outer = c.Next()
		return outer
	})
	app.Use(fiberv3probe.Traffic(trafficcheck.NewRecorder()))
	app.Get("/", func(fiber.Ctx) error { return fiber.ErrServiceUnavailable })
	// app.Test returns after the handlers have run: the writes above
	// happen before it.
	if got := do(t, app, "GET", "/"); got.code != fiber.StatusServiceUnavailable || handled != 1 || outer != nil {
		t.Errorf("GET / = %d, ErrorHandler called %d times, outer middleware got %v; want 503, 1, <nil>", got.code, handled, outer)
	}
}

// TestTrafficNoAllocs checks that Traffic allocates nothing of its own:
// a request costs what it costs without it (Fiber's default ErrorHandler
// allocates for an error, whoever calls it).
func TestTrafficNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items, so Fiber's pooled contexts allocate")
	}
	newApp := func(use ...any) *fiber.App {
		app := fiber.New()
		if len(use) > 0 {
			app.Use(use...)
		}
		app.Get("/api/x", func(c fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) })
		app.Get("/api/fail", func(fiber.Ctx) error { return fiber.ErrServiceUnavailable })
		return app
	}
	allocs := func(app *fiber.App, target string) float64 {
		handler := app.Handler()
		ctx := fastkit.NewRequestCtx("GET", target)
		handler(ctx) // warm up pools and buffers
		return testing.AllocsPerRun(100, func() {
			ctx.Response.Reset()
			handler(ctx)
		})
	}
	bare, traffic := newApp(), newApp(fiberv3probe.Traffic(trafficcheck.NewRecorder()))
	for _, target := range []string{"/api/x", "/api/fail"} {
		if n, want := allocs(traffic, target), allocs(bare, target); n != want {
			t.Errorf("GET %s: %v allocations per request; want %v, as without Traffic", target, n, want)
		}
	}
}
