package fiberprobe_test

import (
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/adapters/fiberprobe/internal/fastkit"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/benchkit"
)

func newBenchApp() *fiber.App {
	return fiber.New(fiber.Config{DisableStartupMessage: true})
}

// run serves target through app's fasthttp handler in process (see
// fastkit.Serve), so that the benchmark measures Fiber and the middleware.
func run(b *testing.B, app *fiber.App, target string, wantCode int) {
	b.Helper()
	fastkit.Serve(b, app.Handler(), target, wantCode)
}

// BenchmarkGET compares answering a probe through New (handler=probekit)
// with Fiber's own bare handler writing "ok" on a route at the probe's path
// (handler=bare), in the same run, with 5 healthy checks registered.
// handler=bare-headers is the bare handler also setting the headers a probe
// answer carries (c.Set, as a Fiber handler would): fasthttp copies and
// scans every header value, so that, not probekit, is most of the
// difference from bare. Compare with: benchstat -col /handler.
func BenchmarkGET(b *testing.B) {
	h := benchkit.Health(b, 5)
	probes := []string{"/healthz", "/readyz", "/readyz/check-3"}
	bare := newBenchApp()
	withHeaders := newBenchApp()
	for _, path := range probes {
		bare.Get(path, func(c *fiber.Ctx) error { return c.SendString("ok") })
		withHeaders.Get(path, func(c *fiber.Ctx) error {
			c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
			c.Set(fiber.HeaderCacheControl, "no-store")
			c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
			return c.SendString("ok")
		})
	}
	probed := newBenchApp()
	probed.Use(fiberprobe.New(h))
	for _, target := range []string{"/healthz", "/readyz", "/readyz/check-3", "/readyz?verbose"} {
		name := strings.NewReplacer("/", "", "?", "-").Replace(target)
		b.Run("path="+name+"/handler=bare", func(b *testing.B) { run(b, bare, target, 200) })
		b.Run("path="+name+"/handler=probekit", func(b *testing.B) { run(b, probed, target, 200) })
		b.Run("path="+name+"/handler=bare-headers", func(b *testing.B) { run(b, withHeaders, target, 200) })
	}
}

// BenchmarkNonProbe measures what New adds to a request that is not a
// probe: the app's routes alone (handler=bare) against the same routes with
// New registered first (handler=probekit).
func BenchmarkNonProbe(b *testing.B) {
	h := benchkit.Health(b, 5)
	routes := func(app *fiber.App) *fiber.App {
		noContent := func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) }
		app.Get("/api/v1/users/:id", noContent)
		app.Get("/static/app.js", noContent)
		app.Get("/readyzz", noContent)
		return app
	}
	bare := routes(newBenchApp())
	probed := newBenchApp()
	probed.Use(fiberprobe.New(h))
	routes(probed)
	for _, target := range []string{"/api/v1/users/42", "/static/app.js", "/readyzz"} {
		name := strings.ReplaceAll(strings.TrimPrefix(target, "/"), "/", "-")
		b.Run("path="+name+"/handler=bare", func(b *testing.B) { run(b, bare, target, 204) })
		b.Run("path="+name+"/handler=probekit", func(b *testing.B) { run(b, probed, target, 204) })
	}
}

// BenchmarkTraffic measures what Traffic adds to a request of the app: the
// app's routes alone (handler=bare), with Traffic (handler=traffic), and
// with the documented wiring, New then Traffic (handler=probes-traffic).
func BenchmarkTraffic(b *testing.B) {
	h := benchkit.Health(b, 5)
	rec := trafficcheck.NewRecorder()
	app := func(use ...any) *fiber.App {
		app := newBenchApp()
		if len(use) > 0 {
			app.Use(use...)
		}
		app.Get("/api/v1/users/:id", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) })
		return app
	}
	bare := app()
	traffic := app(fiberprobe.Traffic(rec))
	both := app(fiberprobe.New(h), fiberprobe.Traffic(rec))
	b.Run("handler=bare", func(b *testing.B) { run(b, bare, "/api/v1/users/42", 204) })
	b.Run("handler=traffic", func(b *testing.B) { run(b, traffic, "/api/v1/users/42", 204) })
	b.Run("handler=probes-traffic", func(b *testing.B) { run(b, both, "/api/v1/users/42", 204) })
}
