package fiberprobe

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/probekit/probekit/core"
)

// Server returns app as a [core.Shutdowner], for
// [core.Health.DrainAndShutdown]. Its Shutdown is app.ShutdownWithContext:
// it closes the listener, waits for open connections to finish their
// requests, and returns ctx's error if ctx ends first (the connections
// still open are then left to finish on their own). On SIGTERM:
//
//	err := h.DrainAndShutdown(ctx, fiberprobe.Server(app))
//
// readiness turns 503 at once while the app keeps serving, and the app
// shuts down after the drain delay. It panics if app is nil.
func Server(app *fiber.App) core.Shutdowner {
	if app == nil {
		panic("fiberprobe: Server with a nil *fiber.App")
	}
	return server{app}
}

type server struct{ app *fiber.App }

var _ core.Shutdowner = server{}

func (s server) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }

// DrainOnShutdown registers an OnShutdown hook on app that drains h
// ([core.Health.Drain]: readiness 503, liveness 200) whenever the app is
// shut down, by whatever code calls app.Shutdown.
//
// Fiber runs OnShutdown hooks after the shutdown itself, once the listener
// is closed and open connections are done (or the shutdown's context has
// ended), and also when the shutdown fails. So the hook gives no drain
// window on app's own port: by then it no longer answers probes. It is for
// a Health also served elsewhere (a probe server on its own port, the gRPC
// health service, a status file), which then reports draining too. For the
// drain sequence on app itself, use [Server] with
// [core.Health.DrainAndShutdown]; the two can be combined. It panics if
// app or h is nil.
func DrainOnShutdown(app *fiber.App, h *core.Health) {
	if app == nil {
		panic("fiberprobe: DrainOnShutdown with a nil *fiber.App")
	}
	if h == nil {
		panic("fiberprobe: DrainOnShutdown with a nil *core.Health")
	}
	app.Hooks().OnShutdown(func() error {
		h.Drain()
		return nil
	})
}
