//go:build !race

// The race detector makes sync.Pool drop items at random, so pooled
// wrappers allocate now and then under it: this test runs without it.

package httpprobe_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/benchkit"
)

func TestTrafficAllocs(t *testing.T) {
	rec := trafficcheck.NewRecorder()
	handler := httpprobe.Traffic(rec)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	r := httptest.NewRequest(http.MethodGet, "/api/v1/users/42", nil)
	w := &benchkit.Writer{}
	if n := testing.AllocsPerRun(1000, func() {
		w.Reset()
		handler.ServeHTTP(w, r)
	}); n != 0 {
		t.Errorf("Traffic: %v allocations per request; want 0", n)
	}
}
