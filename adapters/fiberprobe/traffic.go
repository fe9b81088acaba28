package fiberprobe

import (
	"github.com/gofiber/fiber/v2"

	"github.com/probekit/probekit/core/checks/trafficcheck"
)

// TrafficConfig defines the config for the middleware returned by
// [TrafficWithConfig].
type TrafficConfig struct {
	// Next defines a function to skip this middleware when it returns
	// true: the request goes on unrecorded, and an error the rest of the
	// chain returns is returned as it is. Give it [Skipper] when the
	// middleware is registered before [New], so that probes do not dilute
	// the rate; or any function that picks out long-lived requests
	// (WebSocket, server-sent events, long polling), whose latency is their
	// lifetime.
	//
	// Optional. Default: nil (every request is recorded)
	Next func(c *fiber.Ctx) bool

	// Recorder receives the status code and latency of every request the
	// middleware does not skip.
	//
	// Required.
	Recorder *trafficcheck.Recorder
}

// Traffic returns middleware that records every request into rec: the
// status code the client gets, and the time from when the middleware is
// called until the rest of the chain returns. It panics if rec is nil.
//
// Register it right after [New], so that answered probes never reach it,
// and before recover.New:
//
//	app.Use(fiberprobe.New(h), fiberprobe.Traffic(rec))
//	app.Use(recover.New(), keyauth.New(keyauth.Config{Validator: validate}))
//
// When the chain returns an error, the code the client gets is what the
// app's ErrorHandler makes of it, so Traffic hands the error to it
// (c.App().ErrorHandler, which picks a mounted sub-app's handler when
// there is one) and returns nil, as Fiber's logger middleware does; if the
// ErrorHandler fails in turn, Traffic sends a 500, as Fiber then does.
// With Fiber's default ErrorHandler, a fiber.NewError(503) or a plain error
// (a 500) counts as a failure; a fiber.NewError(400), or the 404 of a path
// with no route, does not. Middleware registered before Traffic then sees
// no error.
//
// A request whose chain panics is recorded as 500, and the panic goes on
// unchanged (it is never recovered here), to recover.New registered before
// Traffic; registered after it, recover.New returns the panic as an error,
// which Traffic hands to the ErrorHandler, and records the 500 that sends.
// Fiber itself does not recover panics: without recover.New, a panic
// crashes the process. Recording allocates nothing.
func Traffic(rec *trafficcheck.Recorder) fiber.Handler {
	if rec == nil {
		panic("fiberprobe: Traffic: nil Recorder")
	}
	return TrafficWithConfig(TrafficConfig{Recorder: rec})
}

// TrafficWithConfig returns [Traffic] configured by cfg. It panics if
// cfg.Recorder is nil. Registered before [New], it must skip the probes:
//
//	app.Use(fiberprobe.TrafficWithConfig(fiberprobe.TrafficConfig{Next: fiberprobe.Skipper(h), Recorder: rec}))
//	app.Use(fiberprobe.New(h))
func TrafficWithConfig(cfg TrafficConfig) fiber.Handler {
	if cfg.Recorder == nil {
		panic("fiberprobe: TrafficWithConfig: nil Recorder")
	}
	rec, skip := cfg.Recorder, cfg.Next
	return func(c *fiber.Ctx) error {
		if skip != nil && skip(c) {
			return c.Next()
		}
		rec.Track(func() int {
			if err := c.Next(); err != nil {
				if err := c.App().ErrorHandler(c, err); err != nil {
					_ = c.SendStatus(fiber.StatusInternalServerError)
				}
			}
			return c.Response().StatusCode()
		})
		return nil
	}
}
