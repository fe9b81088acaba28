package fiberv3probe

import (
	"context"

	"github.com/gofiber/fiber/v3"

	"github.com/probekit/probekit/core"
)

// Server returns app as a [core.Shutdowner], for
// [core.Health.DrainAndShutdown]. Its Shutdown is app.ShutdownWithContext:
// it closes the listener, waits for open connections to finish their
// requests, and returns ctx's error if ctx ends first (the connections
// still open are then left to finish on their own). On SIGTERM:
//
//	err := h.DrainAndShutdown(ctx, fiberv3probe.Server(app))
//
// readiness turns 503 at once while the app keeps serving, and the app
// shuts down after the drain delay. It panics if app is nil.
func Server(app *fiber.App) core.Shutdowner {
	if app == nil {
		panic("fiberv3probe: Server with a nil *fiber.App")
	}
	return server{app}
}

type server struct{ app *fiber.App }

var _ core.Shutdowner = server{}

func (s server) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }

// DrainOnShutdown registers an OnPreShutdown hook on app that runs h's
// drain (readiness 503, then the drain delay) while the app still serves,
// whenever Fiber shuts it down: app.Shutdown, or the end of
// ListenConfig.GracefulContext. Use it instead of
// [core.Health.DrainAndShutdown] with [Server], not with it (the delay
// would be waited twice), and give ShutdownTimeout more than the drain
// delay. It panics if app or h is nil.
func DrainOnShutdown(app *fiber.App, h *core.Health) {
	if app == nil {
		panic("fiberv3probe: DrainOnShutdown with a nil *fiber.App")
	}
	if h == nil {
		panic("fiberv3probe: DrainOnShutdown with a nil *core.Health")
	}
	app.Hooks().OnPreShutdown(func() error {
		// With no server to shut down, DrainAndShutdown is Drain, then the
		// drain delay.
		return h.DrainAndShutdown(context.Background())
	})
}
