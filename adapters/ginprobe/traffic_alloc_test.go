//go:build !race

// The race detector makes sync.Pool drop items at random, so Gin's pooled
// contexts allocate now and then under it: this test runs without it.

package ginprobe_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/benchkit"
)

func TestTrafficAllocs(t *testing.T) {
	r := gin.New()
	r.Use(ginprobe.Traffic(trafficcheck.NewRecorder()))
	r.GET("/api/x", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	req := httptest.NewRequest(http.MethodGet, "/api/x", nil)
	w := &benchkit.Writer{}
	r.ServeHTTP(w, req) // warm up the context pool
	if n := testing.AllocsPerRun(1000, func() {
		w.Reset()
		r.ServeHTTP(w, req)
	}); n != 0 {
		t.Errorf("Traffic: %v allocations per request; want 0", n)
	}
}
