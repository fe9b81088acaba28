package main

import (
	"context"
	"net/http"
	"testing"

	fiber3 "github.com/gofiber/fiber/v3"
	fiber3hc "github.com/gofiber/fiber/v3/middleware/healthcheck"
	echo5 "github.com/labstack/echo/v5"

	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/internal/benchkit"
)

// healthyMajorCases are scenario 1 on the new framework majors, Echo v5
// and Fiber v3, with Fiber v3's own healthcheck middleware as a contender:
// it runs the checks in its Probe on every request, as v2's does.
func healthyMajorCases() []Case {
	return []Case{
		{"echov5", bare, func(int) func(*testing.B) {
			return func(b *testing.B) {
				e := echo5.New()
				e.GET("/readyz", func(c *echo5.Context) error { return c.String(http.StatusOK, "ok") })
				serveHTTP1(b, e, "/readyz", 200)
			}
		}},
		{"echov5", "probekit", func(n int) func(*testing.B) {
			return func(b *testing.B) {
				e := echo5.New()
				e.Pre(echov5probe.Middleware(benchkit.Health(b, n)))
				serveHTTP1(b, e, "/readyz", 200)
			}
		}},
		{"fiberv3", bare, func(int) func(*testing.B) {
			return func(b *testing.B) {
				app := fiber3.New()
				app.Get("/readyz", func(c fiber3.Ctx) error { return c.SendString("ok") })
				serveFastHTTP1(b, app.Handler(), "/readyz", 200)
			}
		}},
		{"fiberv3", "probekit", func(n int) func(*testing.B) {
			return func(b *testing.B) {
				app := fiber3.New()
				app.Use(fiberv3probe.New(benchkit.Health(b, n)))
				serveFastHTTP1(b, app.Handler(), "/readyz", 200)
			}
		}},
		{"fiberv3", "fiber-healthcheck", func(n int) func(*testing.B) {
			return func(b *testing.B) {
				s := quiet(n)
				app := fiber3.New()
				app.Get(fiber3hc.ReadinessEndpoint, fiber3hc.New(fiber3hc.Config{Probe: func(c fiber3.Ctx) bool {
					for _, fn := range s.Checks {
						ctx, cancel := context.WithTimeout(c, s.Timeout)
						err := fn(ctx)
						cancel()
						if err != nil {
							return false
						}
					}
					return true
				}}))
				serveFastHTTP1(b, app.Handler(), fiber3hc.ReadinessEndpoint, 200)
			}
		}},
	}
}

// nonProbeMajorCases are scenario 5 on Echo v5 and Fiber v3.
func nonProbeMajorCases() []Case {
	echoApp := func(pre ...echo5.MiddlewareFunc) *echo5.Echo {
		e := echo5.New()
		e.Pre(pre...)
		e.GET("/api/v1/users/:id", func(c *echo5.Context) error { return c.NoContent(http.StatusNoContent) })
		return e
	}
	fiberApp := func(mw ...any) *fiber3.App {
		app := fiber3.New()
		if len(mw) > 0 {
			app.Use(mw...)
		}
		app.Get("/api/v1/users/:id", func(c fiber3.Ctx) error { return c.SendStatus(fiber3.StatusNoContent) })
		return app
	}
	echoCase := func(lib string, e func(b *testing.B) *echo5.Echo) Case {
		return Case{"echov5", lib, func(int) func(*testing.B) {
			return func(b *testing.B) { serveHTTP1(b, e(b), apiPath, 204) }
		}}
	}
	fiberCase := func(lib string, app func(b *testing.B) *fiber3.App) Case {
		return Case{"fiberv3", lib, func(int) func(*testing.B) {
			return func(b *testing.B) { serveFastHTTP1(b, app(b).Handler(), apiPath, 204) }
		}}
	}
	noopEcho := func(next echo5.HandlerFunc) echo5.HandlerFunc { return func(c *echo5.Context) error { return next(c) } }
	noopFiber := func(c fiber3.Ctx) error { return c.Next() }
	return []Case{
		echoCase(bare, func(*testing.B) *echo5.Echo { return echoApp() }),
		echoCase("noop", func(*testing.B) *echo5.Echo { return echoApp(noopEcho) }),
		echoCase("probekit", func(b *testing.B) *echo5.Echo { return echoApp(echov5probe.Middleware(benchkit.Health(b, 3))) }),
		fiberCase(bare, func(*testing.B) *fiber3.App { return fiberApp() }),
		fiberCase("noop", func(*testing.B) *fiber3.App { return fiberApp(noopFiber) }),
		fiberCase("probekit", func(b *testing.B) *fiber3.App { return fiberApp(fiberv3probe.New(benchkit.Health(b, 3))) }),
	}
}
