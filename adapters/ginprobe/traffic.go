package ginprobe

import (
	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/core/checks/trafficcheck"
)

// TrafficConfig configures the middleware returned by [TrafficWithConfig].
type TrafficConfig struct {
	// Recorder receives the status code and latency of every request the
	// middleware does not skip.
	//
	// Required.
	Recorder *trafficcheck.Recorder

	// Skip leaves out the requests it returns true for: they go on down
	// the chain unrecorded. Give it [Skipper] when the middleware is
	// registered before [Middleware], so that probes do not dilute the
	// rate; or any [gin.Skipper] that picks out long-lived requests
	// (WebSocket, server-sent events, long polling), whose latency is their
	// lifetime. It is called on every request, from the goroutine serving
	// it.
	//
	// Optional. Default: nil (every request is recorded).
	Skip func(*gin.Context) bool
}

// Traffic returns Gin middleware that records every request into rec: the
// status code of c.Writer once the rest of the chain has returned
// (c.Writer.Status(), Gin's 404 and 405 included), and the time from when
// the middleware is called until then. It panics if rec is nil.
//
// Register it right after [Middleware], so that answered probes never
// reach it, and before gin.Recovery:
//
//	r.Use(ginprobe.Middleware(h), ginprobe.Traffic(rec))
//	r.Use(gin.Recovery(), authRequired())
//
// A request whose chain panics is recorded as 500, and the panic goes on
// unchanged (it is never recovered here), to gin.Recovery registered
// before Traffic or to net/http; registered after it, gin.Recovery writes
// the 500 that Traffic then records. Recording allocates nothing.
func Traffic(rec *trafficcheck.Recorder) gin.HandlerFunc {
	if rec == nil {
		panic("ginprobe: Traffic: nil Recorder")
	}
	return TrafficWithConfig(TrafficConfig{Recorder: rec})
}

// TrafficWithConfig returns [Traffic] configured by cfg. It panics if
// cfg.Recorder is nil. Registered before [Middleware], it must skip the
// probes:
//
//	r.Use(ginprobe.TrafficWithConfig(ginprobe.TrafficConfig{Recorder: rec, Skip: ginprobe.Skipper(h)}))
//	r.Use(ginprobe.Middleware(h))
func TrafficWithConfig(cfg TrafficConfig) gin.HandlerFunc {
	if cfg.Recorder == nil {
		panic("ginprobe: TrafficWithConfig: nil Recorder")
	}
	rec, skip := cfg.Recorder, cfg.Skip
	return func(c *gin.Context) {
		if skip != nil && skip(c) {
			c.Next()
			return
		}
		rec.Track(func() int {
			c.Next()
			return c.Writer.Status()
		})
	}
}
