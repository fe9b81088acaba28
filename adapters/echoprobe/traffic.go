package echoprobe

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/probekit/probekit/core/checks/trafficcheck"
)

// TrafficConfig configures the middleware returned by [TrafficWithConfig].
type TrafficConfig struct {
	// Skipper leaves out the requests it returns true for: they go on to
	// the next handler unrecorded, and an error they return is returned
	// as it is. Give it [Skipper] when the middleware runs before
	// [Middleware] (both e.Use, Traffic first), so that probes do not
	// dilute the rate; or any skipper that picks out long-lived requests
	// (WebSocket, server-sent events, long polling), whose latency is their
	// lifetime.
	//
	// Optional. Default: middleware.DefaultSkipper (every request is
	// recorded).
	Skipper middleware.Skipper

	// Recorder receives the status code and latency of every request the
	// middleware does not skip.
	//
	// Required.
	Recorder *trafficcheck.Recorder
}

// Traffic returns Echo middleware that records every request into rec: the
// status code the client gets, and the time from when the middleware is
// called until the rest of the chain returns. It panics if rec is nil.
//
// Register it with e.Use, first, with the probes on e.Pre, so that answered
// probes never reach it, and before middleware.Recover:
//
//	e.Pre(echoprobe.Middleware(h))
//	e.Use(echoprobe.Traffic(rec), middleware.Recover(), authRequired)
//
// When the chain returns an error, the code the client gets is what the
// app's HTTPErrorHandler makes of it, so Traffic hands the error to it
// (c.Error) and returns nil, as Echo's Logger and RequestLogger
// (HandleError) do. With Echo's default error handler, an
// echo.NewHTTPError(503) or a plain error (a 500) counts as a failure; an
// echo.NewHTTPError(400), or the 404 of a path with no route, does not.
// Middleware registered before Traffic then sees no error.
//
// A request whose chain panics is recorded as 500, and the panic goes on
// unchanged (it is never recovered here), to middleware.Recover
// registered before Traffic or to net/http; registered after it,
// middleware.Recover hands the panic to the error handler and Traffic
// records the 500 that writes.
func Traffic(rec *trafficcheck.Recorder) echo.MiddlewareFunc {
	if rec == nil {
		panic("echoprobe: Traffic: nil Recorder")
	}
	return TrafficWithConfig(TrafficConfig{Recorder: rec})
}

// TrafficWithConfig returns [Traffic] configured by cfg. It panics if
// cfg.Recorder is nil. Registered before the probes, it must skip them:
//
//	e.Use(echoprobe.TrafficWithConfig(echoprobe.TrafficConfig{
//		Skipper:  echoprobe.Skipper(h),
//		Recorder: rec,
//	}))
//	e.Use(echoprobe.Middleware(h))
func TrafficWithConfig(cfg TrafficConfig) echo.MiddlewareFunc {
	if cfg.Recorder == nil {
		panic("echoprobe: TrafficWithConfig: nil Recorder")
	}
	t := &traffic{rec: cfg.Recorder, skip: cfg.Skipper}
	if t.skip == nil {
		t.skip = middleware.DefaultSkipper
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		// Echo calls this on every request for e.Use middleware: what it
		// returns captures two words, in one small allocation.
		return func(c echo.Context) error { return t.serve(c, next) }
	}
}

type traffic struct {
	rec  *trafficcheck.Recorder
	skip middleware.Skipper
}

// serve runs next for c and records the outcome.
func (t *traffic) serve(c echo.Context, next echo.HandlerFunc) error {
	if t.skip(c) {
		return next(c)
	}
	t.rec.Track(func() int {
		if err := next(c); err != nil {
			c.Error(err)
		}
		return c.Response().Status
	})
	return nil
}
