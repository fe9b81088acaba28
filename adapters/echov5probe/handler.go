package echov5probe

import (
	"github.com/labstack/echo/v5"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// Liveness returns a handler that answers h's liveness probe at whatever
// route it is registered on, for a probe at a path of the app's choosing:
//
//	e.Match([]string{http.MethodGet, http.MethodHead}, "/internal/alive", echov5probe.Liveness(h))
//
// It runs after the middleware registered before the route, so keep auth
// off that route; [Middleware] needs no route. It panics if h is nil.
func Liveness(h *core.Health) echo.HandlerFunc { return probeHandler(h, core.Liveness, "Liveness") }

// Readiness returns a handler that answers h's readiness probe at whatever
// route it is registered on. See [Liveness].
func Readiness(h *core.Health) echo.HandlerFunc { return probeHandler(h, core.Readiness, "Readiness") }

// Startup returns a handler that answers h's startup probe at whatever
// route it is registered on. See [Liveness].
func Startup(h *core.Health) echo.HandlerFunc { return probeHandler(h, core.Startup, "Startup") }

func probeHandler(h *core.Health, p core.Probe, name string) echo.HandlerFunc {
	if h == nil {
		panic("echov5probe: " + name + " with a nil *core.Health")
	}
	return func(c *echo.Context) error {
		r := c.Request()
		probehttp.RespondProbe(h, p, probehttp.HTTPRequest(r)).WriteHTTP(c.Response(), r.Method)
		return nil
	}
}
