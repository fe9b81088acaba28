package echov5probe_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/labstack/echo/v5"

	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/benchkit"
)

// sameAnswer returns an Echo handler that writes resp's status, headers
// and body without probekit: what the probe costs without its matching and
// cache lookup. Its header values are built once, as core's are.
func sameAnswer(resp *probehttp.Response) echo.HandlerFunc {
	cl := []string{strconv.Itoa(len(resp.Body()))}
	cc, nosniff := []string{probehttp.CacheControl}, []string{probehttp.ContentTypeOptions}
	ct := []string{resp.ContentType()}
	return func(c *echo.Context) error {
		h := c.Response().Header()
		h["Content-Type"], h["Content-Length"], h["Cache-Control"], h["X-Content-Type-Options"] = ct, cl, cc, nosniff
		return c.Blob(resp.StatusCode(), resp.ContentType(), resp.Body())
	}
}

// BenchmarkGET compares answering a probe, with 5 healthy checks, against
// Echo routes at the same path, in the same run: handler=bare is a route
// writing "ok", handler=same-answer a route writing the probe's exact
// status, headers and body; handler=probekit is the one line with e.Pre,
// handler=probekit-use with e.Use, handler=route the probe mounted on a
// route (Liveness, Readiness). Compare with: benchstat -col /handler.
func BenchmarkGET(b *testing.B) {
	h := benchkit.Health(b, 5)
	for _, p := range []struct {
		name, route, query string
		probe              core.Probe // for handler=route; 0 for none
	}{
		{"healthz", "/healthz", "", core.Liveness},
		{"readyz", "/readyz", "", core.Readiness},
		{"readyz-check", "/readyz/check-3", "", 0},
		{"readyz-verbose", "/readyz", "verbose", core.Readiness},
	} {
		target := p.route
		if p.query != "" {
			target += "?" + p.query
		}
		answer := probehttp.Respond(h, probehttp.Request{Method: http.MethodGet, Path: p.route, RawQuery: p.query})
		bare := newEcho()
		bare.GET(p.route, func(c *echo.Context) error { return c.String(http.StatusOK, "ok") })
		same := newEcho()
		same.GET(p.route, sameAnswer(answer))
		pre := newEcho()
		pre.Pre(echov5probe.Middleware(h))
		use := newEcho()
		use.Use(echov5probe.Middleware(h))
		b.Run("path="+p.name+"/handler=bare", func(b *testing.B) { benchkit.Serve(b, bare, target, 200) })
		b.Run("path="+p.name+"/handler=same-answer", func(b *testing.B) { benchkit.Serve(b, same, target, 200) })
		b.Run("path="+p.name+"/handler=probekit", func(b *testing.B) { benchkit.Serve(b, pre, target, 200) })
		b.Run("path="+p.name+"/handler=probekit-use", func(b *testing.B) { benchkit.Serve(b, use, target, 200) })
		if p.probe != 0 {
			route := newEcho()
			route.GET(p.route, map[core.Probe]func(*core.Health) echo.HandlerFunc{
				core.Liveness: echov5probe.Liveness, core.Readiness: echov5probe.Readiness,
			}[p.probe](h))
			b.Run("path="+p.name+"/handler=route", func(b *testing.B) { benchkit.Serve(b, route, target, 200) })
		}
	}
}

// BenchmarkNonProbe measures what Middleware adds to a request for one of
// the app's routes: the app alone (handler=bare), with the one line
// registered with e.Pre (handler=probekit) or e.Use (handler=probekit-use),
// and with an empty middleware in its place (handler=noop-pre,
// handler=noop-use: what any Echo middleware costs). The probekit rows
// minus bare are what the one line adds.
func BenchmarkNonProbe(b *testing.B) {
	h := benchkit.Health(b, 5)
	app := func(register func(e *echo.Echo)) *echo.Echo {
		e := newEcho()
		register(e)
		e.GET("/api/v1/users/:id", noContentHandler)
		e.GET("/static/*", noContentHandler)
		e.GET("/readyzz", noContentHandler)
		return e
	}
	apps := []struct {
		name string
		e    *echo.Echo
	}{
		{"bare", app(func(*echo.Echo) {})},
		{"probekit", app(func(e *echo.Echo) { e.Pre(echov5probe.Middleware(h)) })},
		{"noop-pre", app(func(e *echo.Echo) { e.Pre(noopMiddleware) })},
		{"probekit-use", app(func(e *echo.Echo) { e.Use(echov5probe.Middleware(h)) })},
		{"noop-use", app(func(e *echo.Echo) { e.Use(noopMiddleware) })},
	}
	for _, p := range []struct{ name, target string }{
		{"api-v1-users-42", "/api/v1/users/42"},
		{"static-app.js", "/static/app.js"},
		{"readyzz", "/readyzz"},
	} {
		for _, a := range apps {
			b.Run("path="+p.name+"/handler="+a.name, func(b *testing.B) { benchkit.Serve(b, a.e, p.target, 204) })
		}
	}
}

// BenchmarkTraffic measures what Traffic adds to a request of the app: the
// app alone (handler=bare), with an empty e.Use middleware in Traffic's
// place (handler=noop), with Traffic (handler=traffic), and with the
// documented wiring, the probes on e.Pre and Traffic on e.Use
// (handler=probes-traffic).
func BenchmarkTraffic(b *testing.B) {
	h := benchkit.Health(b, 5)
	rec := trafficcheck.NewRecorder()
	app := func(register func(e *echo.Echo)) *echo.Echo {
		e := newEcho()
		register(e)
		e.GET("/api/v1/users/:id", noContentHandler)
		return e
	}
	bare := app(func(*echo.Echo) {})
	noopUse := app(func(e *echo.Echo) { e.Use(noopMiddleware) })
	traffic := app(func(e *echo.Echo) { e.Use(echov5probe.Traffic(rec)) })
	both := app(func(e *echo.Echo) {
		e.Pre(echov5probe.Middleware(h))
		e.Use(echov5probe.Traffic(rec))
	})
	b.Run("handler=bare", func(b *testing.B) { benchkit.Serve(b, bare, "/api/v1/users/42", 204) })
	b.Run("handler=noop", func(b *testing.B) { benchkit.Serve(b, noopUse, "/api/v1/users/42", 204) })
	b.Run("handler=traffic", func(b *testing.B) { benchkit.Serve(b, traffic, "/api/v1/users/42", 204) })
	b.Run("handler=probes-traffic", func(b *testing.B) { benchkit.Serve(b, both, "/api/v1/users/42", 204) })
}

// noopMiddleware is the least an Echo middleware can be: Echo's own cost
// of one middleware, without probekit.
func noopMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error { return next(c) }
}

func noContentHandler(c *echo.Context) error { return c.NoContent(http.StatusNoContent) }
