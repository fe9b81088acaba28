package echoprobe

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// IsProbe reports whether [Middleware] would answer c's request itself,
// judged on the request as it is now (a path-rewriting middleware that ran
// earlier counts). It is true for the exact probe paths only, so auth can
// use it to let probes through without letting anything else past. It
// panics if h is nil.
func IsProbe(h *core.Health, c echo.Context) bool {
	if h == nil {
		panic("echoprobe: IsProbe with a nil *core.Health")
	}
	return isProbe(h, c)
}

// isProbe is [IsProbe] without the nil check, for the request path.
func isProbe(h *core.Health, c echo.Context) bool {
	return probehttp.IsProbePath(h, probehttp.HTTPPath(c.Request()))
}

// Skipper returns [IsProbe] bound to h as Echo's [middleware.Skipper], for
// the Skipper field of auth middleware registered before the probes:
// middleware.KeyAuthConfig, BasicAuthConfig, echo-jwt's Config. A
// third-party field of type func(echo.Context) bool takes it as well.
//
// Register [Middleware] right after that auth middleware, in the same
// chain (both e.Pre or both e.Use) with nothing that rewrites the path in
// between, so that every request the skipper lets through is answered by
// the probes. Do not give it to auth that runs after the probes: it is not
// needed there, and a path rewriter between the two could rewrite a
// request onto a probe path after the probes passed it on, and the skipper
// would then let it past auth to whatever route Echo matched. It panics if
// h is nil.
func Skipper(h *core.Health) middleware.Skipper {
	if h == nil {
		panic("echoprobe: Skipper with a nil *core.Health")
	}
	return func(c echo.Context) bool { return isProbe(h, c) }
}
