//go:build !race

// The race detector makes sync.Pool drop items at random, so Echo's pooled
// contexts allocate now and then under it: this test runs without it.

package echoprobe_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/benchkit"
)

// TestTrafficAllocs checks that Traffic allocates no more than an empty
// middleware does: Echo wraps each e.Use middleware around the handler on
// every request, one closure each.
func TestTrafficAllocs(t *testing.T) {
	allocs := func(mw echo.MiddlewareFunc) float64 {
		e := newEcho()
		e.Use(mw)
		e.GET("/api/x", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
		req := httptest.NewRequest(http.MethodGet, "/api/x", nil)
		w := &benchkit.Writer{}
		e.ServeHTTP(w, req) // warm up the context pool
		return testing.AllocsPerRun(1000, func() {
			w.Reset()
			e.ServeHTTP(w, req)
		})
	}
	empty := allocs(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error { return next(c) }
	})
	if n := allocs(echoprobe.Traffic(trafficcheck.NewRecorder())); n != empty {
		t.Errorf("Traffic: %v allocations per request; want %v, as an empty middleware", n, empty)
	}
}
