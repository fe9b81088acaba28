package ginprobe

import (
	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// Middleware returns Gin middleware that answers h's probe paths itself
// and aborts the chain, and passes every other request on untouched.
// Register it first, with r.Use on the engine, before auth and DB-connect
// middleware. It answers a probe whether or not a route matches the path,
// reading h's cached answer without allocating; passing a request on costs
// one path comparison. It panics if h is nil.
func Middleware(h *core.Health) gin.HandlerFunc {
	if h == nil {
		panic("ginprobe: Middleware with a nil *core.Health")
	}
	return func(c *gin.Context) {
		if probehttp.Serve(h, c.Writer, c.Request) {
			// Send the headers now: on Gin's 404 path an answer without a
			// body (HEAD) would otherwise count as unwritten, and a HEAD
			// 404 for an unknown check would get Gin's own 404 body.
			c.Writer.WriteHeaderNow()
			c.Abort()
		}
	}
}
