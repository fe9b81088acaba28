//go:build !race

// The race detector makes sync.Pool drop items at random, so Echo's pooled
// contexts allocate now and then under it: these tests run without it.

package echov5probe_test

import (
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"

	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/benchkit"
)

// allocs returns the allocations per request of method target through e,
// after a warm-up request (Echo's context pool, a format rendered on first
// use).
func allocs(e *echo.Echo, method, target string) float64 {
	r := httptest.NewRequest(method, target, nil)
	r.Header.Set("Accept", "*/*")
	w := benchkit.NewWriter()
	e.ServeHTTP(w, r)
	return testing.AllocsPerRun(1000, func() {
		w.Reset()
		e.ServeHTTP(w, r)
	})
}

// TestMiddlewareAllocs checks that answering a probe allocates nothing
// beyond what Echo itself allocates for a request through an empty
// middleware to a route, and that passing a request on allocates nothing
// beyond what the same request costs through an empty middleware.
func TestMiddlewareAllocs(t *testing.T) {
	h := benchkit.Health(t, 5)
	app := func(register func(e *echo.Echo)) *echo.Echo {
		e := newEcho()
		register(e)
		e.GET("/api/users/:id", noContentHandler)
		return e
	}
	for _, chain := range []string{"pre", "use"} {
		add := func(mw echo.MiddlewareFunc) func(e *echo.Echo) {
			if chain == "pre" {
				return func(e *echo.Echo) { e.Pre(mw) }
			}
			return func(e *echo.Echo) { e.Use(mw) }
		}
		empty, probes := app(add(noopMiddleware)), app(add(echov5probe.Middleware(h)))
		echoOwn := allocs(empty, "GET", "/api/users/42")
		for _, r := range []struct{ method, target string }{
			{"GET", "/healthz"}, {"GET", "/readyz"}, {"HEAD", "/readyz"}, {"GET", "/readyz/check-3"},
			{"GET", "/readyz?verbose"}, {"GET", "/readyz/nosuch"}, {"POST", "/readyz"},
		} {
			if n := allocs(probes, r.method, r.target); n > echoOwn {
				t.Errorf("%s: %s %s: %v allocations per request; want at most Echo's own, %v", chain, r.method, r.target, n, echoOwn)
			}
		}
		// Not probes: a route, a near miss without a route (Echo's 404).
		for _, target := range []string{"/api/users/42", "/readyzz", "/healthz/"} {
			if want, n := allocs(empty, "GET", target), allocs(probes, "GET", target); n > want {
				t.Errorf("%s: GET %s: %v allocations per request; want at most %v, as through an empty middleware", chain, target, n, want)
			}
		}
	}
}

// TestHandlerAllocs checks the same for a probe mounted on a route.
func TestHandlerAllocs(t *testing.T) {
	h := benchkit.Health(t, 5)
	bare, probe := newEcho(), newEcho()
	bare.GET("/internal/ready", noContentHandler)
	probe.GET("/internal/ready", echov5probe.Readiness(h))
	if want, n := allocs(bare, "GET", "/internal/ready"), allocs(probe, "GET", "/internal/ready"); n > want {
		t.Errorf("Readiness: %v allocations per request; want at most Echo's own, %v", n, want)
	}
}

// TestTrafficAllocs checks that Traffic allocates no more than an empty
// middleware does.
func TestTrafficAllocs(t *testing.T) {
	app := func(mw echo.MiddlewareFunc) *echo.Echo {
		e := newEcho()
		e.Use(mw)
		e.GET("/api/x", noContentHandler)
		return e
	}
	want := allocs(app(noopMiddleware), "GET", "/api/x")
	if n := allocs(app(echov5probe.Traffic(trafficcheck.NewRecorder())), "GET", "/api/x"); n > want {
		t.Errorf("Traffic: %v allocations per request; want %v, as an empty middleware", n, want)
	}
}
