package fiberprobe

import (
	"github.com/gofiber/fiber/v2"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// Liveness returns a handler that answers h's liveness probe at whatever
// route it is registered on, for a probe at a path of the app's own:
//
//	app.Get("/internal/alive", fiberprobe.Liveness(h)) // HEAD too
//
// It runs after the middleware registered before the route, so keep auth
// off that route. [New] needs no route. It panics if h is nil.
func Liveness(h *core.Health) fiber.Handler { return probeHandler(h, core.Liveness, "Liveness") }

// Readiness returns a handler that answers h's readiness probe at whatever
// route it is registered on. See [Liveness].
func Readiness(h *core.Health) fiber.Handler { return probeHandler(h, core.Readiness, "Readiness") }

// Startup returns a handler that answers h's startup probe at whatever
// route it is registered on. See [Liveness].
func Startup(h *core.Health) fiber.Handler { return probeHandler(h, core.Startup, "Startup") }

func probeHandler(h *core.Health, p core.Probe, name string) fiber.Handler {
	if h == nil {
		panic("fiberprobe: " + name + " with a nil *core.Health")
	}
	w := newWriter()
	return func(c *fiber.Ctx) error {
		// The path plays no part: the route chose the probe.
		w.write(c.Response(), probehttp.RespondProbe(h, p, w.request(c.Method(), c.Request(), "")))
		return nil
	}
}
