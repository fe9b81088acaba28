package fiberv3probe_test

import (
	"strings"
	"testing"

	"github.com/gofiber/fiber/v3"

	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/adapters/fiberv3probe/internal/fastkit"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/benchkit"
)

// run serves target through app's fasthttp handler in process (see
// fastkit.Serve), so that the benchmark measures Fiber and the middleware.
func run(b *testing.B, app *fiber.App, target string, wantCode int) {
	b.Helper()
	fastkit.Serve(b, app.Handler(), target, wantCode)
}

// BenchmarkGET compares answering a probe through New (handler=probekit)
// with Fiber's bare handler writing "ok" on a route at the probe's path
// (handler=bare) and with a Fiber handler on that route writing the same
// answer, status, body bytes (not copied) and headers, as a Fiber handler
// would (handler=same-answer), in the same run, with 5 healthy checks
// registered. Compare with: benchstat -col /handler.
func BenchmarkGET(b *testing.B) {
	h := benchkit.Health(b, 5)
	probed := fiber.New()
	probed.Use(fiberv3probe.New(h))
	for _, target := range []string{"/healthz", "/readyz", "/readyz/check-3", "/readyz?verbose"} {
		path, query, _ := strings.Cut(target, "?")
		bare := fiber.New()
		bare.Get(path, func(c fiber.Ctx) error { return c.SendString("ok") })
		r := probehttp.Respond(h, probehttp.Request{Method: fiber.MethodGet, Path: path, RawQuery: query})
		code, contentType, body := r.StatusCode(), r.ContentType(), r.Body()
		same := fiber.New()
		same.Get(path, func(c fiber.Ctx) error {
			c.Set(fiber.HeaderContentType, contentType)
			c.Set(fiber.HeaderCacheControl, probehttp.CacheControl)
			c.Set(fiber.HeaderXContentTypeOptions, probehttp.ContentTypeOptions)
			return c.Status(code).Send(body)
		})
		name := strings.NewReplacer("/", "", "?", "-").Replace(target)
		b.Run("path="+name+"/handler=bare", func(b *testing.B) { run(b, bare, target, 200) })
		b.Run("path="+name+"/handler=probekit", func(b *testing.B) { run(b, probed, target, 200) })
		b.Run("path="+name+"/handler=same-answer", func(b *testing.B) { run(b, same, target, 200) })
	}
}

// BenchmarkNonProbe measures what New adds to a request that is not a
// probe: the app's routes alone (handler=bare) against the same routes with
// New registered first (handler=probekit). handler=next has a middleware
// that only calls c.Next() in New's place: the part of the difference that
// is Fiber's dispatch through any middleware, not probekit's.
func BenchmarkNonProbe(b *testing.B) {
	h := benchkit.Health(b, 5)
	routes := func(app *fiber.App) *fiber.App {
		noContent := func(c fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) }
		app.Get("/api/v1/users/:id", noContent)
		app.Get("/static/app.js", noContent)
		app.Get("/readyzz", noContent)
		return app
	}
	bare := routes(fiber.New())
	next := fiber.New()
	next.Use(func(c fiber.Ctx) error { return c.Next() })
	routes(next)
	probed := fiber.New()
	probed.Use(fiberv3probe.New(h))
	routes(probed)
	for _, target := range []string{"/api/v1/users/42", "/static/app.js", "/readyzz"} {
		name := strings.ReplaceAll(strings.TrimPrefix(target, "/"), "/", "-")
		b.Run("path="+name+"/handler=bare", func(b *testing.B) { run(b, bare, target, 204) })
		b.Run("path="+name+"/handler=next", func(b *testing.B) { run(b, next, target, 204) })
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
		app := fiber.New()
		if len(use) > 0 {
			app.Use(use...)
		}
		app.Get("/api/v1/users/:id", func(c fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) })
		return app
	}
	bare := app()
	traffic := app(fiberv3probe.Traffic(rec))
	both := app(fiberv3probe.New(h), fiberv3probe.Traffic(rec))
	b.Run("handler=bare", func(b *testing.B) { run(b, bare, "/api/v1/users/42", 204) })
	b.Run("handler=traffic", func(b *testing.B) { run(b, traffic, "/api/v1/users/42", 204) })
	b.Run("handler=probes-traffic", func(b *testing.B) { run(b, both, "/api/v1/users/42", 204) })
}
