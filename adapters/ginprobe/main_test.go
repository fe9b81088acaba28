package ginprobe_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"go.uber.org/goleak"

	"github.com/probekit/probekit/core/probehttp"
)

func TestMain(m *testing.M) {
	// Test mode keeps Gin's debug warnings and route listing out of the
	// output (and out of the Examples' Output).
	gin.SetMode(gin.TestMode)
	goleak.VerifyTestMain(m)
}

// serve sends one request through e; header holds key, value pairs.
func serve(e http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	return w
}

// isProbeAnswer reports whether w holds an answer written by the probes:
// the app in these tests never sends Cache-Control: no-store.
func isProbeAnswer(w *httptest.ResponseRecorder) bool {
	return w.Header().Get("Cache-Control") == probehttp.CacheControl && w.Header().Get("X-Content-Type-Options") == "nosniff"
}
