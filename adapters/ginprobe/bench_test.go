package ginprobe_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/benchkit"
)

// bare is Gin's own way to answer with a constant: c.String, which sets
// a Content-Type as a probe answer does. (Writing to c.Writer directly,
// below Gin's rendering, is cheaper: no allocation, no header.)
func bare(c *gin.Context) { c.String(http.StatusOK, "ok") }

// appRoutes registers the routes of the app the benchmarks stand for.
func appRoutes(r *gin.Engine) *gin.Engine {
	app := func(c *gin.Context) { c.Status(http.StatusNoContent) }
	r.GET("/api/v1/users/:id", app)
	r.GET("/static/*filepath", app)
	r.GET("/readyzz", app)
	return r
}

var probeTargets = []struct{ name, target, route string }{
	{"healthz", "/healthz", "/healthz"},
	{"readyz", "/readyz", "/readyz"},
	{"readyz-check", "/readyz/check-3", "/readyz/check-3"},
	{"readyz-verbose", "/readyz?verbose", "/readyz"},
}

// BenchmarkGET compares answering a probe through Middleware on an engine
// with app routes (handler=probekit; the probe paths have no route, so Gin
// takes its 404 path) with Gin's bare handler writing "ok" registered as a
// route at the probe path (handler=bare), in the same run, with 5 healthy
// checks registered.
// Compare with: benchstat -col /handler.
func BenchmarkGET(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	h := benchkit.Health(b, 5)
	withBare := appRoutes(gin.New())
	for _, p := range []string{"/healthz", "/readyz", "/readyz/check-3"} {
		withBare.GET(p, bare)
	}
	withProbes := gin.New()
	withProbes.Use(ginprobe.Middleware(h))
	appRoutes(withProbes)
	for _, tt := range probeTargets {
		b.Run("path="+tt.name+"/handler=bare", func(b *testing.B) { benchkit.Serve(b, withBare, tt.target, 200) })
		b.Run("path="+tt.name+"/handler=probekit", func(b *testing.B) { benchkit.Serve(b, withProbes, tt.target, 200) })
	}
}

// BenchmarkNonProbe measures what Middleware adds to a request that is not
// a probe: the app's engine without it (handler=bare) against the same app
// with it registered first (handler=probekit).
func BenchmarkNonProbe(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	h := benchkit.Health(b, 5)
	app := appRoutes(gin.New())
	withProbes := gin.New()
	withProbes.Use(ginprobe.Middleware(h))
	appRoutes(withProbes)
	for _, target := range []string{"/api/v1/users/42", "/static/app.js", "/readyzz"} {
		name := strings.ReplaceAll(strings.TrimPrefix(target, "/"), "/", "-")
		b.Run("path="+name+"/handler=bare", func(b *testing.B) { benchkit.Serve(b, app, target, 204) })
		b.Run("path="+name+"/handler=probekit", func(b *testing.B) { benchkit.Serve(b, withProbes, target, 204) })
	}
}

// BenchmarkTraffic measures what Traffic adds to a request of the app: the
// app's engine without it (handler=bare), with it (handler=traffic), and
// with the documented wiring, Middleware then Traffic
// (handler=probes-traffic).
func BenchmarkTraffic(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	h := benchkit.Health(b, 5)
	rec := trafficcheck.NewRecorder()
	app := appRoutes(gin.New())
	traffic := gin.New()
	traffic.Use(ginprobe.Traffic(rec))
	appRoutes(traffic)
	both := gin.New()
	both.Use(ginprobe.Middleware(h), ginprobe.Traffic(rec))
	appRoutes(both)
	b.Run("handler=bare", func(b *testing.B) { benchkit.Serve(b, app, "/api/v1/users/42", 204) })
	b.Run("handler=traffic", func(b *testing.B) { benchkit.Serve(b, traffic, "/api/v1/users/42", 204) })
	b.Run("handler=probes-traffic", func(b *testing.B) { benchkit.Serve(b, both, "/api/v1/users/42", 204) })
}
