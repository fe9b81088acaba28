package fiberv3probe

import (
	"github.com/gofiber/fiber/v3"

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
	Next func(c fiber.Ctx) bool

	// Recorder receives the status code and latency of every request the
	// middleware does not skip.
	//
	// Required.
	Recorder *trafficcheck.Recorder
}

// Traffic returns middleware that records the status code and latency of
// every request into rec, without allocating. Register it right after
// [New], so that probes never reach it, and before recover.New:
//
//	app.Use(fiberv3probe.New(h), fiberv3probe.Traffic(rec))
//
// An error from the chain goes to the app's ErrorHandler, as Fiber's logger
// does it, and the status written is recorded; a panic is recorded as 500
// and goes on. It panics if rec is nil.
func Traffic(rec *trafficcheck.Recorder) fiber.Handler {
	if rec == nil {
		panic("fiberv3probe: Traffic: nil Recorder")
	}
	return TrafficWithConfig(TrafficConfig{Recorder: rec})
}

// TrafficWithConfig returns [Traffic] configured by cfg. It panics if
// cfg.Recorder is nil. Registered before [New], it must skip the probes:
//
//	app.Use(fiberv3probe.TrafficWithConfig(fiberv3probe.TrafficConfig{Next: fiberv3probe.Skipper(h), Recorder: rec}))
//	app.Use(fiberv3probe.New(h))
func TrafficWithConfig(cfg TrafficConfig) fiber.Handler {
	if cfg.Recorder == nil {
		panic("fiberv3probe: TrafficWithConfig: nil Recorder")
	}
	rec, skip := cfg.Recorder, cfg.Next
	return func(c fiber.Ctx) error {
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
