package echov5probe_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/traffictest"
)

// errTooMany is an app error that the app's own error handler maps to 429.
var errTooMany = errors.New("too many requests")

// appErrorHandler is an app's HTTPErrorHandler: errTooMany is a 429,
// everything else as Echo's default handler has it.
func appErrorHandler() echo.HTTPErrorHandler {
	def := echo.DefaultHTTPErrorHandler(false)
	return func(c *echo.Context, err error) {
		if r, _ := echo.UnwrapResponse(c.Response()); errors.Is(err, errTooMany) && r != nil && !r.Committed {
			_ = c.String(http.StatusTooManyRequests, "slow down")
			return
		}
		def(c, err)
	}
}

// trafficRoutes registers a route for each way an Echo app answers.
func trafficRoutes(e *echo.Echo) *echo.Echo {
	e.HTTPErrorHandler = appErrorHandler()
	e.GET("/ok", func(c *echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.POST("/created", func(c *echo.Context) error { return c.JSON(http.StatusCreated, map[string]int{"id": 1}) })
	e.GET("/silent", func(*echo.Context) error { return nil })
	e.GET("/bad-request", func(*echo.Context) error { return echo.NewHTTPError(http.StatusBadRequest, "bad") })
	e.GET("/fail", func(c *echo.Context) error { return c.String(http.StatusInternalServerError, "boom") })
	e.GET("/unavailable", func(*echo.Context) error { return echo.ErrServiceUnavailable })
	e.GET("/not-found", func(*echo.Context) error { return echo.NewHTTPError(http.StatusNotFound, "no such user") })
	e.Match([]string{http.MethodGet, http.MethodHead}, "/error", func(*echo.Context) error { return errors.New("db down") })
	e.GET("/too-many", func(*echo.Context) error { return fmt.Errorf("quota: %w", errTooMany) })
	e.GET("/written-then-error", func(c *echo.Context) error {
		_ = c.String(http.StatusOK, "partial")
		return errors.New("too late")
	})
	e.GET("/panic", func(*echo.Context) error { panic("boom") })
	return e
}

// serveTraffic is traffictest's App.Serve for Echo v5: Traffic first on
// e.Use with the probes on e.Pre, or with the probes on e.Use after it.
func serveTraffic(t *testing.T, m traffictest.Mount, h *core.Health, rec *trafficcheck.Recorder) traffictest.Client {
	e := newEcho()
	switch m {
	case traffictest.RecoverFirst:
		e.Use(middleware.Recover(), echov5probe.Traffic(rec))
	case traffictest.RecoverAfter:
		e.Use(echov5probe.Traffic(rec), middleware.Recover())
	case traffictest.ProbesFirst:
		e.Pre(echov5probe.Middleware(h))
		e.Use(echov5probe.Traffic(rec))
	case traffictest.ProbesSkipped:
		e.Use(echov5probe.TrafficWithConfig(echov5probe.TrafficConfig{Skipper: echov5probe.Skipper(h), Recorder: rec}))
		e.Use(echov5probe.Middleware(h))
	case traffictest.ProbesCounted:
		e.Use(echov5probe.Traffic(rec), echov5probe.Middleware(h))
	default:
		t.Fatalf("mount %d: unknown", m)
	}
	return traffictest.Server(t, trafficRoutes(e))
}

func TestTraffic(t *testing.T) {
	t.Parallel()
	traffictest.Run(t, traffictest.App{
		Adapter: "echov5probe",
		Serve:   serveTraffic,
		Direct: func(rec *trafficcheck.Recorder, code int, then func()) func() {
			e := newEcho() // no Recover: a panic leaves the engine
			e.Use(echov5probe.Traffic(rec))
			e.GET("/", func(c *echo.Context) error {
				_ = c.NoContent(code)
				then()
				return nil
			})
			return func() { do(e, newRequest(http.MethodGet, "/", "")) }
		},
		NilTraffic:           func() { echov5probe.Traffic(nil) },
		NilTrafficWithConfig: func() { echov5probe.TrafficWithConfig(echov5probe.TrafficConfig{}) },
		Cases: []traffictest.Case{
			{Name: "HTTPError 404", Method: "GET", Target: "/not-found", WantCode: 404},
			{Name: "plain error", Method: "GET", Target: "/error", WantCode: 500},
			{Name: "plain error, HEAD", Method: "HEAD", Target: "/error", WantCode: 500},
			{Name: "error mapped by the app's handler", Method: "GET", Target: "/too-many", WantCode: 429},
			{Name: "error after a written 200", Method: "GET", Target: "/written-then-error", WantCode: 200},
		},
	})
}

// TestTrafficHandlesErrorOnce checks that an error a handler returns is
// handed to the app's error handler once, by Traffic, that the code it
// writes is the one recorded, and that middleware registered before
// Traffic sees nil, with or without Recover between them.
func TestTrafficHandlesErrorOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		giveErr   error
		withPanic bool
		wantCode  int
	}{
		{"HTTPError 404", echo.NewHTTPError(http.StatusNotFound, "no such user"), false, 404},
		{"HTTPError 503", echo.ErrServiceUnavailable, false, 503},
		{"plain error", errors.New("db down"), false, 500},
		{"panic through Recover", nil, true, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEcho()
			handled := 0
			def := echo.DefaultHTTPErrorHandler(false)
			e.HTTPErrorHandler = func(c *echo.Context, err error) {
				handled++
				def(c, err)
			}
			outer := "not called"
			e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
				return func(c *echo.Context) error {
					err := next(c)
					outer = fmt.Sprint(err)
					return err
				}
			})
			spy := traffictest.NewSpy()
			e.Use(echov5probe.Traffic(spy.Recorder), middleware.Recover())
			e.GET("/", func(*echo.Context) error {
				if tt.withPanic {
					panic("boom")
				}
				return tt.giveErr
			})
			w := do(e, newRequest(http.MethodGet, "/", ""))
			if w.Code != tt.wantCode || handled != 1 || outer != "<nil>" {
				t.Errorf("GET / = %d, error handler called %d times, outer middleware got %s; want %d, 1, <nil>", w.Code, handled, outer, tt.wantCode)
			}
			spy.Want(t, tt.wantCode)
		})
	}
}

// TestTrafficSkipped checks that a skipped request is not recorded and
// its error is returned as it is, for Echo to hand to the error handler.
func TestTrafficSkipped(t *testing.T) {
	t.Parallel()
	e := newEcho()
	spy := traffictest.NewSpy()
	outer := "not called"
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			err := next(c)
			outer = fmt.Sprint(err)
			return err
		}
	})
	e.Use(echov5probe.TrafficWithConfig(echov5probe.TrafficConfig{
		Skipper:  func(c *echo.Context) bool { return c.Request().URL.Path == "/ws" },
		Recorder: spy.Recorder,
	}))
	e.GET("/ws", func(*echo.Context) error { return echo.ErrServiceUnavailable })
	e.GET("/ok", func(c *echo.Context) error { return c.NoContent(http.StatusNoContent) })
	if w := do(e, newRequest(http.MethodGet, "/ws", "")); w.Code != 503 || outer == "<nil>" {
		t.Errorf("GET /ws = %d, outer middleware got %s; want 503 and the error", w.Code, outer)
	}
	do(e, newRequest(http.MethodGet, "/ok", ""))
	spy.Want(t, 204)
}
