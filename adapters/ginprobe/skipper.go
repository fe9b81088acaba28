package ginprobe

import (
	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// IsProbe reports whether [Middleware] would answer c's request itself. It
// is true for the exact probe paths only, matched on the raw request path
// (see the package documentation), so auth middleware can use it to let
// probes through without letting anything else past. It panics if h is
// nil.
func IsProbe(h *core.Health, c *gin.Context) bool {
	if h == nil {
		panic("ginprobe: IsProbe with a nil *core.Health")
	}
	return isProbe(h, c)
}

// isProbe is [IsProbe] without the nil check, for the request path.
func isProbe(h *core.Health, c *gin.Context) bool {
	return probehttp.IsProbePath(h, probehttp.HTTPPath(c.Request))
}

// Skipper returns [IsProbe] bound to h, in the func(*gin.Context) bool
// shape of Gin's [gin.Skipper] and of most Gin auth middleware's skip
// hooks. Auth that skips with it must have [Middleware] (with the same h)
// registered after it on the same engine, so that every request it lets
// through is answered by the probes and never reaches a handler. It panics
// if h is nil.
func Skipper(h *core.Health) func(*gin.Context) bool {
	if h == nil {
		panic("ginprobe: Skipper with a nil *core.Health")
	}
	return func(c *gin.Context) bool { return isProbe(h, c) }
}
