package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gofiber/fiber/v2"
	fiberhc "github.com/gofiber/fiber/v2/middleware/healthcheck"
	"github.com/labstack/echo/v4"
	"github.com/valyala/fasthttp"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/internal/benchkit"
)

// Case is one in-process benchmark: a library (or the bare floor) on a
// framework. Bench returns the benchmark for n registered checks.
type Case struct {
	Framework string
	Lib       string
	Bench     func(n int) func(b *testing.B)
}

// Frameworks in the order the tables show them.
var Frameworks = []string{"net/http", "gin", "echo", "echov5", "fiber", "fiberv3"}

// The bare floors: the least each framework's own handler does to answer a
// probe with "ok".
const bare = "bare"

// passing returns n checks that pass at once.
func passing(n int) []func(context.Context) error {
	fns := make([]func(context.Context) error, n)
	for i := range fns {
		fns[i] = func(context.Context) error { return nil }
	}
	return fns
}

// quiet is the setup of the in-process benchmarks: n passing checks, and
// for the libraries that run checks in the background an interval of an
// hour, so that no run lands during a measurement.
func quiet(n int) Setup {
	return Setup{Checks: passing(n), Interval: time.Hour, Timeout: time.Second}
}

// HealthyCases are scenario 1: a healthy readiness probe.
func HealthyCases() []Case {
	var cs []Case
	okHandler := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	cs = append(cs, Case{"net/http", bare, func(int) func(*testing.B) {
		return func(b *testing.B) { serveHTTP1(b, okHandler, "/readyz", 200) }
	}})
	for _, c := range Contenders {
		if c.HTTP == nil {
			continue
		}
		cs = append(cs, Case{"net/http", c.Name, func(n int) func(*testing.B) {
			return func(b *testing.B) {
				h, path, stop, err := c.HTTP(quiet(n))
				if err != nil {
					b.Fatal(err)
				}
				defer stop()
				serveHTTP1(b, h, path, 200)
			}
		}})
	}

	cs = append(cs,
		Case{"gin", bare, func(int) func(*testing.B) {
			return func(b *testing.B) {
				r := GinApp()
				r.GET("/readyz", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
				serveHTTP1(b, r, "/readyz", 200)
			}
		}},
		Case{"gin", "probekit", func(n int) func(*testing.B) {
			return func(b *testing.B) {
				h := benchkit.Health(b, n)
				r := GinApp(ginprobe.Middleware(h))
				serveHTTP1(b, r, "/readyz", 200)
			}
		}},
		Case{"echo", bare, func(int) func(*testing.B) {
			return func(b *testing.B) {
				e := EchoApp()
				e.GET("/readyz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
				serveHTTP1(b, e, "/readyz", 200)
			}
		}},
		Case{"echo", "probekit", func(n int) func(*testing.B) {
			return func(b *testing.B) {
				h := benchkit.Health(b, n)
				e := EchoApp()
				e.Pre(echoprobe.Middleware(h))
				serveHTTP1(b, e, "/readyz", 200)
			}
		}},
		Case{"fiber", bare, func(int) func(*testing.B) {
			return func(b *testing.B) {
				app := NewFiber()
				app.Get("/readyz", func(c *fiber.Ctx) error { return c.SendString("ok") })
				serveFiber1(b, app, "/readyz", 200)
			}
		}},
	)
	for _, c := range Contenders {
		if c.Fiber == nil {
			continue
		}
		cs = append(cs, Case{"fiber", c.Name, func(n int) func(*testing.B) {
			return func(b *testing.B) {
				app, path, stop, err := c.Fiber(quiet(n))
				if err != nil {
					b.Fatal(err)
				}
				defer stop()
				serveFiber1(b, app, path, 200)
			}
		}})
	}
	return append(cs, healthyMajorCases()...)
}

// apiPath is the app request of scenario 5: a route with a parameter.
const apiPath = "/api/v1/users/42"

// NonProbeCases are scenario 5: a request for one of the app's routes, on
// the app alone (bare), behind probekit's one line (probekit), behind an
// empty middleware registered the same way (noop: what the framework
// charges for any middleware), and behind the alternatives that cost less.
func NonProbeCases() []Case {
	noContent := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux := http.NewServeMux()
	mux.Handle("GET /api/v1/users/{id}", noContent)
	ginRoute := func(c *gin.Context) { c.Status(http.StatusNoContent) }
	echoRoute := func(c echo.Context) error { return c.NoContent(http.StatusNoContent) }
	fiberRoute := func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) }
	ginApp := func(mw ...gin.HandlerFunc) *gin.Engine {
		r := GinApp(mw...)
		r.GET("/api/v1/users/:id", ginRoute)
		return r
	}
	echoApp := func(pre ...echo.MiddlewareFunc) *echo.Echo {
		e := EchoApp()
		e.Pre(pre...)
		e.GET("/api/v1/users/:id", echoRoute)
		return e
	}
	fiberApp := func(mw ...any) *fiber.App {
		app := NewFiber()
		if len(mw) > 0 {
			app.Use(mw...)
		}
		app.Get("/api/v1/users/:id", fiberRoute)
		return app
	}
	httpCase := func(fw, lib string, handler func(b *testing.B) http.Handler) Case {
		return Case{fw, lib, func(int) func(*testing.B) {
			return func(b *testing.B) { serveHTTP1(b, handler(b), apiPath, 204) }
		}}
	}
	fiberCase := func(lib string, app func(b *testing.B) *fiber.App) Case {
		return Case{"fiber", lib, func(int) func(*testing.B) {
			return func(b *testing.B) { serveFiber1(b, app(b), apiPath, 204) }
		}}
	}
	noopGin := func(c *gin.Context) { c.Next() }
	noopEcho := func(next echo.HandlerFunc) echo.HandlerFunc { return func(c echo.Context) error { return next(c) } }
	noopFiber := func(c *fiber.Ctx) error { return c.Next() }
	return append([]Case{
		httpCase("net/http", bare, func(*testing.B) http.Handler { return mux }),
		httpCase("net/http", "probekit", func(b *testing.B) http.Handler { return httpprobe.Wrap(benchkit.Health(b, 3), mux) }),
		httpCase("gin", bare, func(*testing.B) http.Handler { return ginApp() }),
		httpCase("gin", "noop", func(*testing.B) http.Handler { return ginApp(noopGin) }),
		httpCase("gin", "probekit", func(b *testing.B) http.Handler { return ginApp(ginprobe.Middleware(benchkit.Health(b, 3))) }),
		httpCase("echo", bare, func(*testing.B) http.Handler { return echoApp() }),
		httpCase("echo", "noop", func(*testing.B) http.Handler { return echoApp(noopEcho) }),
		httpCase("echo", "probekit", func(b *testing.B) http.Handler { return echoApp(echoprobe.Middleware(benchkit.Health(b, 3))) }),
		httpCase("echo", "probekit-wrap", func(b *testing.B) http.Handler { return httpprobe.Wrap(benchkit.Health(b, 3), echoApp()) }),
		fiberCase(bare, func(*testing.B) *fiber.App { return fiberApp() }),
		fiberCase("noop", func(*testing.B) *fiber.App { return fiberApp(noopFiber) }),
		fiberCase("probekit", func(b *testing.B) *fiber.App { return fiberApp(fiberprobe.New(benchkit.Health(b, 3))) }),
		fiberCase("fiber-healthcheck", func(*testing.B) *fiber.App { return fiberApp(fiberhc.New()) }),
	}, nonProbeMajorCases()...)
}

// GinApp returns a release-mode Gin engine with mw, and no logger.
func GinApp(mw ...gin.HandlerFunc) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(mw...)
	return r
}

// EchoApp returns an Echo engine with no banner and no log output.
func EchoApp() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Logger.SetOutput(io.Discard)
	return e
}

// ready waits, for up to 5 s, until get answers want: the libraries
// that run checks in the background answer 503 until their first run.
func ready(b *testing.B, get func() int, want int) {
	b.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := get()
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("answer is %d after 5s; want %d", got, want)
		}
		time.Sleep(time.Millisecond)
	}
}

// serveHTTP1 waits until handler answers GET target with wantCode (the
// libraries that run checks in the background answer 503 until their
// first run), then measures it with benchkit.Serve: in process, one
// reusable ResponseWriter, so that the harness allocates nothing.
func serveHTTP1(b *testing.B, handler http.Handler, target string, wantCode int) {
	b.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	w := benchkit.NewWriter()
	ready(b, func() int { w.Reset(); handler.ServeHTTP(w, r); return w.Code() }, wantCode)
	benchkit.Serve(b, handler, target, wantCode)
}

// serveFiber1 measures a Fiber v2 app with serveFastHTTP1.
func serveFiber1(b *testing.B, app *fiber.App, target string, wantCode int) {
	b.Helper()
	serveFastHTTP1(b, app.Handler(), target, wantCode)
}

// serveFastHTTP1 waits until handler answers GET target with wantCode,
// then measures it in process through one reused RequestCtx, so that the
// benchmark measures the framework and the middleware, not a network or a
// recorder.
func serveFastHTTP1(b *testing.B, handler fasthttp.RequestHandler, target string, wantCode int) {
	b.Helper()
	var req fasthttp.Request
	req.Header.SetMethod(fasthttp.MethodGet)
	req.SetRequestURI(target)
	ctx := new(fasthttp.RequestCtx)
	ctx.Init(&req, nil, nil)
	ready(b, func() int { ctx.Response.Reset(); handler(ctx); return ctx.Response.StatusCode() }, wantCode)
	b.ReportAllocs()
	for b.Loop() {
		ctx.Response.Reset()
		handler(ctx)
	}
	if got := ctx.Response.StatusCode(); got != wantCode {
		b.Fatalf("GET %s = %d; want %d (body %q)", target, got, wantCode, ctx.Response.Body())
	}
}

// Name is the case's sub-benchmark name.
func (c Case) Name(n int) string {
	fw := c.Framework
	if fw == "net/http" {
		fw = "nethttp"
	}
	if n == 0 {
		return fmt.Sprintf("fw=%s/lib=%s", fw, c.Lib)
	}
	return fmt.Sprintf("checks=%d/fw=%s/lib=%s", n, fw, c.Lib)
}
