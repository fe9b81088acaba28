package ginprobe

import (
	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// Liveness returns a handler that answers h's liveness probe at whatever
// route it is registered on, for a probe at a path of the app's own:
//
//	r.Match([]string{http.MethodGet, http.MethodHead}, "/internal/alive", ginprobe.Liveness(h))
//
// It runs after the middleware registered before the route, so keep auth
// off that route. [Middleware] needs no route. It panics if h is nil.
func Liveness(h *core.Health) gin.HandlerFunc { return probeHandler(h, core.Liveness, "Liveness") }

// Readiness returns a handler that answers h's readiness probe at whatever
// route it is registered on. See [Liveness].
func Readiness(h *core.Health) gin.HandlerFunc { return probeHandler(h, core.Readiness, "Readiness") }

// Startup returns a handler that answers h's startup probe at whatever
// route it is registered on. See [Liveness].
func Startup(h *core.Health) gin.HandlerFunc { return probeHandler(h, core.Startup, "Startup") }

func probeHandler(h *core.Health, p core.Probe, name string) gin.HandlerFunc {
	if h == nil {
		panic("ginprobe: " + name + " with a nil *core.Health")
	}
	return func(c *gin.Context) {
		probehttp.RespondProbe(h, p, probehttp.HTTPRequest(c.Request)).WriteHTTP(c.Writer, c.Request.Method)
		c.Writer.WriteHeaderNow()
	}
}
