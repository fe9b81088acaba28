package echoprobe_test

import (
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/testenv"
)

// errTooMany is an app error that the app's own error handler maps to 429.
var errTooMany = errors.New("too many requests")

// appErrorHandler is an app's HTTPErrorHandler: errTooMany is a 429,
// everything else as Echo's default handler has it.
func appErrorHandler(e *echo.Echo) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if errors.Is(err, errTooMany) && !c.Response().Committed {
			_ = c.String(http.StatusTooManyRequests, "slow down")
			return
		}
		e.DefaultHTTPErrorHandler(err, c)
	}
}

// trafficRoutes registers a route for each way an Echo app answers.
func trafficRoutes(e *echo.Echo) *echo.Echo {
	e.HTTPErrorHandler = appErrorHandler(e)
	e.GET("/ok", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.POST("/created", func(c echo.Context) error { return c.JSON(http.StatusCreated, echo.Map{"id": 1}) })
	e.GET("/silent", func(echo.Context) error { return nil })
	e.GET("/bad-request", func(echo.Context) error { return echo.NewHTTPError(http.StatusBadRequest, "bad") })
	e.GET("/fail", func(c echo.Context) error { return c.String(http.StatusInternalServerError, "boom") })
	e.GET("/unavailable", func(echo.Context) error { return echo.NewHTTPError(http.StatusServiceUnavailable) })
	e.GET("/error", func(echo.Context) error { return errors.New("db down") })
	e.GET("/too-many", func(echo.Context) error { return fmt.Errorf("quota: %w", errTooMany) })
	e.GET("/written-then-error", func(c echo.Context) error {
		_ = c.String(http.StatusOK, "partial")
		return errors.New("too late")
	})
	e.GET("/panic", func(echo.Context) error { panic("boom") })
	return e
}

func TestTraffic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		method, target string
		recoverAfter   bool // middleware.Recover registered after Traffic, not before
		wantCode       int  // both sent and recorded
	}{
		{"ok", "GET", "/ok", false, 200},
		{"created", "POST", "/created", false, 201},
		{"silent", "GET", "/silent", false, 200},
		{"no route", "GET", "/missing", false, 404},
		{"no method", "DELETE", "/ok", false, 405},
		{"HTTPError 400", "GET", "/bad-request", false, 400},
		{"written 500", "GET", "/fail", false, 500},
		{"HTTPError 503", "GET", "/unavailable", false, 503},
		{"plain error", "GET", "/error", false, 500},
		{"error mapped by the app's handler", "GET", "/too-many", false, 429},
		{"error after a written 200", "GET", "/written-then-error", false, 200},
		{"panic, Recover before", "GET", "/panic", false, 500},
		{"panic, Recover after", "GET", "/panic", true, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spy := &testenv.TrafficSpy{}
			rec := spy.NewRecorder()
			e := newEcho()
			if tt.recoverAfter {
				e.Use(echoprobe.Traffic(rec), middleware.Recover())
			} else {
				e.Use(middleware.Recover(), echoprobe.Traffic(rec))
			}
			srv := testenv.NewServer(t, trafficRoutes(e))
			if code, _ := testenv.Send(t, srv, tt.method, tt.target); code != tt.wantCode {
				t.Errorf("%s %s = %d; want %d", tt.method, tt.target, code, tt.wantCode)
			}
			testenv.WantRecorded(t, rec, spy, tt.wantCode)
		})
	}
}

// TestTrafficHandlesErrorOnce checks that an error is handed to the app's
// error handler once, by Traffic, and that middleware registered before
// Traffic sees nil, as behind Echo's Logger.
func TestTrafficHandlesErrorOnce(t *testing.T) {
	t.Parallel()
	e := newEcho()
	var handled atomic.Int32
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		handled.Add(1)
		e.DefaultHTTPErrorHandler(err, c)
	}
	var outer atomic.Value
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			err := next(c)
			outer.Store(fmt.Sprint(err))
			return err
		}
	})
	e.Use(echoprobe.Traffic(trafficcheck.NewRecorder()))
	e.GET("/", func(echo.Context) error { return echo.NewHTTPError(http.StatusServiceUnavailable) })
	w := do(e, newRequest(http.MethodGet, "/", ""))
	if w.Code != http.StatusServiceUnavailable || handled.Load() != 1 || outer.Load() != "<nil>" {
		t.Errorf("GET / = %d, error handler called %d times, outer middleware got %v; want 503, 1, <nil>", w.Code, handled.Load(), outer.Load())
	}
}

func TestTrafficProbes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		use       func(e *echo.Echo, h *core.Health, rec *trafficcheck.Recorder)
		wantCodes []int
	}{
		{
			name: "probes with e.Pre",
			use: func(e *echo.Echo, h *core.Health, rec *trafficcheck.Recorder) {
				e.Pre(echoprobe.Middleware(h))
				e.Use(echoprobe.Traffic(rec))
			},
			wantCodes: []int{200, 404},
		},
		{
			name: "probes with e.Use, after Traffic with Skipper",
			use: func(e *echo.Echo, h *core.Health, rec *trafficcheck.Recorder) {
				e.Use(echoprobe.TrafficWithConfig(echoprobe.TrafficConfig{Skipper: echoprobe.Skipper(h), Recorder: rec}))
				e.Use(echoprobe.Middleware(h))
			},
			wantCodes: []int{200, 404},
		},
		{
			name: "probes with e.Use, after Traffic without Skipper",
			use: func(e *echo.Echo, h *core.Health, rec *trafficcheck.Recorder) {
				e.Use(echoprobe.Traffic(rec), echoprobe.Middleware(h))
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
			e := newEcho()
			tt.use(e, h, rec)
			srv := testenv.NewServer(t, trafficRoutes(e))
			for _, target := range []string{"/healthz", "/readyz", "/livez", "/readyz/nosuch", "/ok", "/healthz/"} {
				testenv.Send(t, srv, "GET", target)
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
			e := newEcho() // no Recover: the panic leaves the engine
			e.Use(echoprobe.Traffic(rec))
			e.GET("/", func(c echo.Context) error {
				_ = c.NoContent(http.StatusOK)
				panic(tt.givePanic)
			})
			got := func() (v any) {
				defer func() { v = recover() }()
				do(e, newRequest(http.MethodGet, "/", ""))
				return nil
			}()
			if got != tt.givePanic {
				t.Errorf("Traffic: panic(%v) left the engine as %v; want it unchanged", tt.givePanic, got)
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
		e := newEcho()
		e.Use(echoprobe.Traffic(rec))
		e.GET("/", func(c echo.Context) error {
			time.Sleep(took)
			return c.NoContent(http.StatusNoContent)
		})
		do(e, newRequest(http.MethodGet, "/", ""))
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
		{"Traffic", func() { echoprobe.Traffic(nil) }, "echoprobe: Traffic: nil Recorder"},
		{"TrafficWithConfig", func() { echoprobe.TrafficWithConfig(echoprobe.TrafficConfig{}) }, "echoprobe: TrafficWithConfig: nil Recorder"},
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
