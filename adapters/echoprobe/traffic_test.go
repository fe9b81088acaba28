package echoprobe_test

import (
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/traffictest"
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

// serveTraffic is traffictest's App.Serve for Echo: Traffic first on
// e.Use with the probes on e.Pre, or with the probes on e.Use after it.
func serveTraffic(t *testing.T, m traffictest.Mount, h *core.Health, rec *trafficcheck.Recorder) traffictest.Client {
	e := newEcho()
	switch m {
	case traffictest.RecoverFirst:
		e.Use(middleware.Recover(), echoprobe.Traffic(rec))
	case traffictest.RecoverAfter:
		e.Use(echoprobe.Traffic(rec), middleware.Recover())
	case traffictest.ProbesFirst:
		e.Pre(echoprobe.Middleware(h))
		e.Use(echoprobe.Traffic(rec))
	case traffictest.ProbesSkipped:
		e.Use(echoprobe.TrafficWithConfig(echoprobe.TrafficConfig{Skipper: echoprobe.Skipper(h), Recorder: rec}))
		e.Use(echoprobe.Middleware(h))
	case traffictest.ProbesCounted:
		e.Use(echoprobe.Traffic(rec), echoprobe.Middleware(h))
	default:
		t.Fatalf("mount %d: unknown", m)
	}
	return traffictest.Server(t, trafficRoutes(e))
}

func TestTraffic(t *testing.T) {
	t.Parallel()
	traffictest.Run(t, traffictest.App{
		Adapter: "echoprobe",
		Serve:   serveTraffic,
		Direct: func(rec *trafficcheck.Recorder, code int, then func()) func() {
			e := newEcho() // no Recover: a panic leaves the engine
			e.Use(echoprobe.Traffic(rec))
			e.GET("/", func(c echo.Context) error {
				_ = c.NoContent(code)
				then()
				return nil
			})
			return func() { do(e, newRequest(http.MethodGet, "/", "")) }
		},
		NilTraffic:           func() { echoprobe.Traffic(nil) },
		NilTrafficWithConfig: func() { echoprobe.TrafficWithConfig(echoprobe.TrafficConfig{}) },
		Cases: []traffictest.Case{
			{Name: "plain error", Method: "GET", Target: "/error", WantCode: 500},
			{Name: "error mapped by the app's handler", Method: "GET", Target: "/too-many", WantCode: 429},
			{Name: "error after a written 200", Method: "GET", Target: "/written-then-error", WantCode: 200},
		},
	})
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
