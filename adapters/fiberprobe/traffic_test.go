package fiberprobe_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gofiber/fiber/v2"
	fiberrecover "github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/benchkit/fastkit"
	"github.com/probekit/probekit/internal/testenv"
)

var (
	// errTooMany is an app error that the app's ErrorHandler maps to 429.
	errTooMany = errors.New("too many requests")
	// errUnhandled is an app error that the app's ErrorHandler fails on.
	errUnhandled = errors.New("unhandled")
)

// appErrorHandler is an app's ErrorHandler: errTooMany is a 429,
// errUnhandled makes it fail, everything else is as Fiber's default.
func appErrorHandler(c *fiber.Ctx, err error) error {
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
	app := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: appErrorHandler})
	use(app)
	app.Get("/ok", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Post("/created", func(c *fiber.Ctx) error { return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": 1}) })
	app.Get("/silent", func(*fiber.Ctx) error { return nil })
	app.Get("/bad-request", func(*fiber.Ctx) error { return fiber.NewError(fiber.StatusBadRequest, "bad") })
	app.Get("/fail", func(c *fiber.Ctx) error { return c.Status(fiber.StatusInternalServerError).SendString("boom") })
	app.Get("/unavailable", func(*fiber.Ctx) error { return fiber.ErrServiceUnavailable })
	app.Get("/error", func(*fiber.Ctx) error { return errors.New("db down") })
	app.Get("/too-many", func(*fiber.Ctx) error { return fmt.Errorf("quota: %w", errTooMany) })
	app.Get("/unhandled", func(*fiber.Ctx) error { return errUnhandled })
	app.Get("/written-then-error", func(c *fiber.Ctx) error {
		_ = c.SendString("partial") // not sent yet: the ErrorHandler replaces it
		return errors.New("too late")
	})
	app.Get("/panic", func(*fiber.Ctx) error { panic("boom") })
	return app
}

func TestTraffic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		method, target string
		recoverAfter   bool // recover.New registered after Traffic, not before
		wantCode       int  // both sent and recorded
	}{
		{"ok", "GET", "/ok", false, 200},
		{"created", "POST", "/created", false, 201},
		{"silent", "GET", "/silent", false, 200},
		{"no route", "GET", "/missing", false, 404},
		{"no method", "DELETE", "/ok", false, 405},
		{"NewError 400", "GET", "/bad-request", false, 400},
		{"written 500", "GET", "/fail", false, 500},
		{"ErrServiceUnavailable", "GET", "/unavailable", false, 503},
		{"plain error", "GET", "/error", false, 500},
		{"error mapped by the app's handler", "GET", "/too-many", false, 429},
		{"error the app's handler fails on", "GET", "/unhandled", false, 500},
		{"error after a written body", "GET", "/written-then-error", false, 500},
		{"panic, recover before", "GET", "/panic", false, 500},
		{"panic, recover after", "GET", "/panic", true, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spy := &testenv.TrafficSpy{}
			rec := spy.NewRecorder()
			app := newTrafficApp(func(app *fiber.App) {
				if tt.recoverAfter {
					app.Use(fiberprobe.Traffic(rec), fiberrecover.New())
				} else {
					app.Use(fiberrecover.New(), fiberprobe.Traffic(rec))
				}
			})
			if got := do(t, app, tt.method, tt.target); got.code != tt.wantCode {
				t.Errorf("%s %s = %d %q; want %d", tt.method, tt.target, got.code, got.body, tt.wantCode)
			}
			testenv.WantRecorded(t, rec, spy, tt.wantCode)
		})
	}
}

// TestTrafficMountedErrorHandler checks that an error from a mounted
// sub-app goes to the sub-app's ErrorHandler, as it would without Traffic.
func TestTrafficMountedErrorHandler(t *testing.T) {
	t.Parallel()
	spy := &testenv.TrafficSpy{}
	rec := spy.NewRecorder()
	sub := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		return c.Status(fiber.StatusTeapot).SendString(err.Error())
	}})
	sub.Get("/x", func(*fiber.Ctx) error { return errors.New("sub failed") })
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(fiberprobe.Traffic(rec))
	app.Mount("/sub", sub)
	if got := do(t, app, "GET", "/sub/x"); got.code != fiber.StatusTeapot {
		t.Errorf("GET /sub/x = %d %q; want %d", got.code, got.body, fiber.StatusTeapot)
	}
	testenv.WantRecorded(t, rec, spy, fiber.StatusTeapot)
}

// TestTrafficHandlesErrorOnce checks that an error is handed to the app's
// ErrorHandler once, by Traffic, and that middleware registered before
// Traffic sees nil, as behind Fiber's logger.
func TestTrafficHandlesErrorOnce(t *testing.T) {
	t.Parallel()
	handled := 0
	var outer error = errors.New("not called")
	app := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: func(c *fiber.Ctx, err error) error {
		handled++
		return fiber.DefaultErrorHandler(c, err)
	}})
	app.Use(func(c *fiber.Ctx) error {
		outer = c.Next()
		return outer
	})
	app.Use(fiberprobe.Traffic(trafficcheck.NewRecorder()))
	app.Get("/", func(*fiber.Ctx) error { return fiber.ErrServiceUnavailable })
	// app.Test returns after the handlers have run: the writes above
	// happen before it.
	if got := do(t, app, "GET", "/"); got.code != fiber.StatusServiceUnavailable || handled != 1 || outer != nil {
		t.Errorf("GET / = %d, ErrorHandler called %d times, outer middleware got %v; want 503, 1, <nil>", got.code, handled, outer)
	}
}

func TestTrafficProbes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		use       func(app *fiber.App, h *core.Health, rec *trafficcheck.Recorder)
		wantCodes []int
	}{
		{
			name: "after New",
			use: func(app *fiber.App, h *core.Health, rec *trafficcheck.Recorder) {
				app.Use(fiberprobe.New(h), fiberprobe.Traffic(rec))
			},
			wantCodes: []int{200, 404},
		},
		{
			name: "before New with Skipper",
			use: func(app *fiber.App, h *core.Health, rec *trafficcheck.Recorder) {
				app.Use(fiberprobe.TrafficWithConfig(fiberprobe.TrafficConfig{Next: fiberprobe.Skipper(h), Recorder: rec}))
				app.Use(fiberprobe.New(h))
			},
			wantCodes: []int{200, 404},
		},
		{
			name: "before New without Next",
			use: func(app *fiber.App, h *core.Health, rec *trafficcheck.Recorder) {
				app.Use(fiberprobe.Traffic(rec), fiberprobe.New(h))
			},
			wantCodes: []int{200, 200, 200, 404, 200, 404}, // the probes dilute the rate
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := testenv.NewHealth(t)
			spy := &testenv.TrafficSpy{}
			rec := spy.NewRecorder()
			app := newTrafficApp(func(app *fiber.App) { tt.use(app, h, rec) })
			for _, target := range []string{"/healthz", "/readyz", "/livez", "/readyz/nosuch", "/ok", "/healthz/"} {
				do(t, app, "GET", target)
			}
			testenv.WantRecorded(t, rec, spy, tt.wantCodes...)
		})
	}
}

func TestTrafficPanic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		givePanic any
	}{
		{"string", "boom"},
		{"error", errors.New("boom")},
		{"ErrAbortHandler", http.ErrAbortHandler},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spy := &testenv.TrafficSpy{}
			rec := spy.NewRecorder()
			app := fiber.New(fiber.Config{DisableStartupMessage: true}) // no recover: the panic leaves the app
			app.Use(fiberprobe.Traffic(rec))
			app.Get("/", func(c *fiber.Ctx) error {
				c.Status(fiber.StatusOK)
				panic(tt.givePanic)
			})
			handler := app.Handler()
			got := func() (v any) {
				defer func() { v = recover() }()
				handler(fastkit.NewRequestCtx(fiber.MethodGet, "/"))
				return nil
			}()
			if got != tt.givePanic {
				t.Errorf("Traffic: panic(%v) left the app as %v; want it unchanged", tt.givePanic, got)
			}
			testenv.WantRecorded(t, rec, spy, 500)
		})
	}
}

func TestTrafficLatency(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rec := trafficcheck.NewRecorder() // in the bubble: on its clock
		const took = 250 * time.Millisecond
		app := fiber.New(fiber.Config{DisableStartupMessage: true})
		app.Use(fiberprobe.Traffic(rec))
		app.Get("/", func(c *fiber.Ctx) error {
			time.Sleep(took)
			return c.SendStatus(fiber.StatusNoContent)
		})
		// The app's handler, called in process: app.Test would start
		// goroutines that outlive the bubble.
		app.Handler()(fastkit.NewRequestCtx(fiber.MethodGet, "/"))
		// Stats is within one part in a million of the latency, never above.
		if st := rec.Stats(time.Minute, 100); st.Requests != 1 || st.Latency > took || st.Latency < took-took/1e6 {
			t.Errorf("Stats() = %d requests, latency %v; want 1, %v", st.Requests, st.Latency, took)
		}
	})
}

func TestTrafficNilRecorder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		give      func()
		wantPanic string
	}{
		{"Traffic", func() { fiberprobe.Traffic(nil) }, "fiberprobe: Traffic: nil Recorder"},
		{"TrafficWithConfig", func() { fiberprobe.TrafficWithConfig(fiberprobe.TrafficConfig{}) }, "fiberprobe: TrafficWithConfig: nil Recorder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if got := recover(); got != tt.wantPanic {
					t.Errorf("%s(nil) panicked with %v; want %q", tt.name, got, tt.wantPanic)
				}
			}()
			tt.give()
		})
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
		app := fiber.New(fiber.Config{DisableStartupMessage: true})
		if len(use) > 0 {
			app.Use(use...)
		}
		app.Get("/api/x", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) })
		app.Get("/api/fail", func(*fiber.Ctx) error { return fiber.ErrServiceUnavailable })
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
	bare, traffic := newApp(), newApp(fiberprobe.Traffic(trafficcheck.NewRecorder()))
	for _, target := range []string{"/api/x", "/api/fail"} {
		if n, want := allocs(traffic, target), allocs(bare, target); n != want {
			t.Errorf("GET %s: %v allocations per request; want %v, as without Traffic", target, n, want)
		}
	}
}
