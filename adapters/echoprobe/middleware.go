package echoprobe

import (
	"github.com/labstack/echo/v4"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// Middleware returns Echo middleware that answers h's probe paths itself
// and passes every other request to the next handler untouched.
//
// Register it with e.Pre, first (it then runs before routing, before every
// other pre-middleware and before all e.Use middleware), or with e.Use,
// before auth and DB-connect middleware (it then runs after routing and
// answers probe paths that have no route, instead of Echo's 404 and 405).
//
// A probe is written through c.Response(), which leaves it committed with
// its status and size (HEAD included), and the handler returns nil without
// calling the next one, so nothing after it writes again. Answering reads
// h's cached answer; deciding that a request is not a probe costs one path
// comparison. Echo itself allocates one closure per middleware per request.
// It panics if h is nil.
func Middleware(h *core.Health) echo.MiddlewareFunc {
	if h == nil {
		panic("echoprobe: Middleware with a nil *core.Health")
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if probehttp.Serve(h, c.Response(), c.Request()) {
				return nil
			}
			return next(c)
		}
	}
}
