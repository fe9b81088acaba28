package echoprobe_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/benchkit"
)

// benchEcho is the engine as an app configures it, minus the logging.
func benchEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Logger.SetOutput(io.Discard)
	return e
}

// noop is the least an Echo middleware can be: Echo's own cost of one
// middleware, without probekit.
func noop(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error { return next(c) }
}

// BenchmarkGET compares answering a probe through Middleware with Echo's
// own bare route handler writing "ok" (handler=bare), in the same run,
// with 5 healthy checks registered: handler=probekit is the one line with
// e.Pre, handler=probekit-use with e.Use, handler=wrap is
// httpprobe.Wrap(h, e) in front of the engine. Compare with: benchstat
// -col /handler.
func BenchmarkGET(b *testing.B) {
	h := benchkit.Health(b, 5)
	for _, p := range []struct{ name, route, target string }{
		{"healthz", "/healthz", "/healthz"},
		{"readyz", "/readyz", "/readyz"},
		{"readyz-check", "/readyz/check-3", "/readyz/check-3"},
		{"readyz-verbose", "/readyz", "/readyz?verbose"},
	} {
		bare := benchEcho()
		bare.GET(p.route, func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
		pre := benchEcho()
		pre.Pre(echoprobe.Middleware(h))
		use := benchEcho()
		use.Use(echoprobe.Middleware(h))
		b.Run("path="+p.name+"/handler=bare", func(b *testing.B) { benchkit.Serve(b, bare, p.target, 200) })
		b.Run("path="+p.name+"/handler=probekit", func(b *testing.B) { benchkit.Serve(b, pre, p.target, 200) })
		b.Run("path="+p.name+"/handler=probekit-use", func(b *testing.B) { benchkit.Serve(b, use, p.target, 200) })
		b.Run("path="+p.name+"/handler=wrap", func(b *testing.B) { benchkit.Serve(b, httpprobe.Wrap(h, benchEcho()), p.target, 200) })
	}
}

// BenchmarkNonProbe measures what Middleware adds to a request for one of
// the app's routes: the app alone (handler=bare), with the one line
// registered with e.Pre (handler=probekit) or e.Use (handler=probekit-use),
// with an empty e.Pre middleware in its place (handler=noop-pre: what any
// Echo pre-middleware costs), and with httpprobe.Wrap(h, e) in front of the
// engine (handler=wrap).
func BenchmarkNonProbe(b *testing.B) {
	h := benchkit.Health(b, 5)
	app := func(register func(e *echo.Echo)) *echo.Echo {
		e := benchEcho()
		register(e)
		noContent := func(c echo.Context) error { return c.NoContent(http.StatusNoContent) }
		e.GET("/api/v1/users/:id", noContent)
		e.GET("/static/*", noContent)
		e.GET("/readyzz", noContent)
		return e
	}
	bare := app(func(*echo.Echo) {})
	pre := app(func(e *echo.Echo) { e.Pre(echoprobe.Middleware(h)) })
	use := app(func(e *echo.Echo) { e.Use(echoprobe.Middleware(h)) })
	noopPre := app(func(e *echo.Echo) { e.Pre(noop) })
	for _, p := range []struct{ name, target string }{
		{"api-v1-users-42", "/api/v1/users/42"},
		{"static-app.js", "/static/app.js"},
		{"readyzz", "/readyzz"},
	} {
		b.Run("path="+p.name+"/handler=bare", func(b *testing.B) { benchkit.Serve(b, bare, p.target, 204) })
		b.Run("path="+p.name+"/handler=probekit", func(b *testing.B) { benchkit.Serve(b, pre, p.target, 204) })
		b.Run("path="+p.name+"/handler=probekit-use", func(b *testing.B) { benchkit.Serve(b, use, p.target, 204) })
		b.Run("path="+p.name+"/handler=noop-pre", func(b *testing.B) { benchkit.Serve(b, noopPre, p.target, 204) })
		b.Run("path="+p.name+"/handler=wrap", func(b *testing.B) { benchkit.Serve(b, httpprobe.Wrap(h, bare), p.target, 204) })
	}
}

// BenchmarkTraffic measures what Traffic adds to a request of the app: the
// app alone (handler=bare), with an empty e.Use middleware in Traffic's
// place (handler=noop: what any Echo middleware costs), with Traffic
// (handler=traffic), and with the documented wiring, the probes on e.Pre
// and Traffic on e.Use (handler=probes-traffic).
func BenchmarkTraffic(b *testing.B) {
	h := benchkit.Health(b, 5)
	rec := trafficcheck.NewRecorder()
	app := func(register func(e *echo.Echo)) *echo.Echo {
		e := benchEcho()
		register(e)
		e.GET("/api/v1/users/:id", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
		return e
	}
	bare := app(func(*echo.Echo) {})
	noopUse := app(func(e *echo.Echo) { e.Use(noop) })
	traffic := app(func(e *echo.Echo) { e.Use(echoprobe.Traffic(rec)) })
	both := app(func(e *echo.Echo) {
		e.Pre(echoprobe.Middleware(h))
		e.Use(echoprobe.Traffic(rec))
	})
	b.Run("handler=bare", func(b *testing.B) { benchkit.Serve(b, bare, "/api/v1/users/42", 204) })
	b.Run("handler=noop", func(b *testing.B) { benchkit.Serve(b, noopUse, "/api/v1/users/42", 204) })
	b.Run("handler=traffic", func(b *testing.B) { benchkit.Serve(b, traffic, "/api/v1/users/42", 204) })
	b.Run("handler=probes-traffic", func(b *testing.B) { benchkit.Serve(b, both, "/api/v1/users/42", 204) })
}
