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
	"github.com/probekit/probekit/internal/benchkit"
)

// TestHandlerAllocs checks that a probe mounted on a route allocates
// nothing beyond what Echo allocates for a route that writes nothing.
func TestHandlerAllocs(t *testing.T) {
	h := benchkit.Health(t, 5)
	allocs := func(handler echo.HandlerFunc, method, target string) float64 {
		e := newEcho()
		e.Match([]string{http.MethodGet, http.MethodHead, http.MethodPost}, "/internal/probe", handler)
		r := httptest.NewRequest(method, target, nil)
		r.Header.Set("Accept", "*/*")
		w := benchkit.NewWriter()
		e.ServeHTTP(w, r) // warm up the context pool and the format
		return testing.AllocsPerRun(1000, func() {
			w.Reset()
			e.ServeHTTP(w, r)
		})
	}
	bare := func(c echo.Context) error { return c.NoContent(http.StatusNoContent) }
	tests := []struct {
		name           string
		handler        echo.HandlerFunc
		method, target string
	}{
		{"Liveness", echoprobe.Liveness(h), "GET", "/internal/probe"},
		{"Readiness", echoprobe.Readiness(h), "GET", "/internal/probe"},
		{"Readiness", echoprobe.Readiness(h), "HEAD", "/internal/probe"},
		{"Readiness", echoprobe.Readiness(h), "GET", "/internal/probe?verbose"},
		{"Readiness", echoprobe.Readiness(h), "POST", "/internal/probe"},
		{"Startup", echoprobe.Startup(h), "GET", "/internal/probe"},
	}
	for _, tt := range tests {
		want := allocs(bare, tt.method, tt.target)
		if n := allocs(tt.handler, tt.method, tt.target); n > want {
			t.Errorf("%s: %s %s: %v allocations per request; want at most Echo's own, %v", tt.name, tt.method, tt.target, n, want)
		}
	}
}
