package echov5probe

import (
	"github.com/labstack/echo/v5"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// Middleware returns Echo middleware that answers h's probe paths itself
// and passes every other request to the next handler untouched. It panics
// if h is nil.
//
// Register it with e.Pre, first (it then runs before routing and before
// every other middleware), or with e.Use, before auth and DB-connect
// middleware (it then runs after routing and answers probe paths that have
// no route, instead of Echo's 404 and 405).
//
// A probe is written through c.Response(), which leaves Echo's Response
// committed with its status and size (HEAD included), and the handler
// returns nil without calling the next one. Answering reads h's cached
// answer and allocates nothing; passing a request on costs one path
// comparison.
func Middleware(h *core.Health) echo.MiddlewareFunc {
	if h == nil {
		panic("echov5probe: Middleware with a nil *core.Health")
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			if probehttp.Serve(h, c.Response(), c.Request()) {
				return nil
			}
			return next(c)
		}
	}
}
