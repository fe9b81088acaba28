package echov5probe

import (
	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/probekit/probekit/core/checks/trafficcheck"
)

// TrafficConfig configures the middleware returned by [TrafficWithConfig].
type TrafficConfig struct {
	// Skipper leaves out the requests it returns true for: they go on to
	// the next handler unrecorded, and an error they return is returned
	// as it is. Give it [Skipper] when the middleware runs before
	// [Middleware] (both e.Use, Traffic first), so that probes do not
	// dilute the rate; or any skipper that picks out long-lived requests
	// (WebSocket, server-sent events), whose latency is their lifetime.
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
//	e.Pre(echov5probe.Middleware(h))
//	e.Use(echov5probe.Traffic(rec), middleware.Recover(), authRequired)
//
// When the chain returns an error, the code the client gets is what the
// app's HTTPErrorHandler makes of it, so Traffic hands the error to
// c.Echo().HTTPErrorHandler, records the status it wrote and returns nil:
// the error is handled once, and middleware registered before Traffic sees
// none. A panic is recorded as 500 and goes on unchanged, to
// middleware.Recover registered before Traffic or to net/http;
// middleware.Recover registered after Traffic turns it into an error, and
// Traffic records the 500 the error handler writes.
func Traffic(rec *trafficcheck.Recorder) echo.MiddlewareFunc {
	if rec == nil {
		panic("echov5probe: Traffic: nil Recorder")
	}
	return TrafficWithConfig(TrafficConfig{Recorder: rec})
}

// TrafficWithConfig returns [Traffic] configured by cfg. It panics if
// cfg.Recorder is nil. Registered before the probes, it must skip them:
//
//	e.Use(echov5probe.TrafficWithConfig(echov5probe.TrafficConfig{
//		Skipper:  echov5probe.Skipper(h),
//		Recorder: rec,
//	}))
//	e.Use(echov5probe.Middleware(h))
func TrafficWithConfig(cfg TrafficConfig) echo.MiddlewareFunc {
	if cfg.Recorder == nil {
		panic("echov5probe: TrafficWithConfig: nil Recorder")
	}
	t := &traffic{rec: cfg.Recorder, skip: cfg.Skipper}
	if t.skip == nil {
		t.skip = middleware.DefaultSkipper
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error { return t.serve(c, next) }
	}
}

type traffic struct {
	rec  *trafficcheck.Recorder
	skip middleware.Skipper
}

// serve runs next for c and records the outcome.
func (t *traffic) serve(c *echo.Context, next echo.HandlerFunc) error {
	if t.skip(c) {
		return next(c)
	}
	t.rec.Track(func() int {
		if err := next(c); err != nil {
			c.Echo().HTTPErrorHandler(c, err)
		}
		// c.Response() is Echo's *Response, or a writer that unwraps to
		// it; its Status is what the client got, or 200 if nothing was
		// written.
		_, code := echo.ResolveResponseStatus(c.Response(), nil)
		return code
	})
	return nil
}
