package echoprobe_test

import (
	"net/http"
	"testing"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/testenv"
)

const methodNotAllowed = `{"error":"method not allowed"}` + "\n"

// TestProbeHandlers mounts each probe on a route of the app's choosing,
// with Echo's Match, Any and a single method, behind auth that the routes
// are registered outside of.
func TestProbeHandlers(t *testing.T) {
	t.Parallel()
	h := testenv.Unhealthy(t)
	e := newEcho()
	getHead := []string{http.MethodGet, http.MethodHead}
	e.Match(getHead, "/internal/alive", echoprobe.Liveness(h))
	e.Match(getHead, "/internal/ready", echoprobe.Readiness(h))
	e.Match(getHead, "/internal/started", echoprobe.Startup(h))
	e.POST("/internal/ready", echoprobe.Readiness(h))
	e.Any("/internal/any-ready", echoprobe.Readiness(h))
	api := e.Group("/api", requireBearer(nil))
	api.GET("/ready", echoprobe.Readiness(h))
	tests := []struct {
		method, target string
		accept         string
		wantCode       int
		wantBody       string // exact, when set (HEAD: always empty)
		wantProbe      bool   // the answer is the probe's
	}{
		{"GET", "/internal/alive", "", 200, `{"status":"ok"}` + "\n", true},
		{"HEAD", "/internal/alive", "", 200, "", true},
		{"GET", "/internal/ready", "", 503, "", true},
		{"GET", "/internal/ready?verbose", "", 503, "[+]redis ok\n[-]db failed: reason withheld\nreadiness check failed\n", true},
		{"GET", "/internal/ready?exclude=db&verbose", "", 200, "[+]redis ok\n[+]db excluded: ok\nreadiness check passed\n", true},
		{"GET", "/internal/ready", "application/health+json", 503, "", true},
		{"HEAD", "/internal/ready", "", 503, "", true},
		{"POST", "/internal/ready", "", 405, methodNotAllowed, true},
		{"DELETE", "/internal/any-ready", "", 405, methodNotAllowed, true},
		{"GET", "/internal/any-ready", "", 503, "", true},
		{"GET", "/internal/started", "", 200, `{"status":"ok"}` + "\n", true},
		{"GET", "/api/ready", "", 401, "", false}, // behind the app's auth: the route's middleware runs first
		{"GET", "/healthz", "", 404, "", false},   // no Middleware: the probe paths are the app's
	}
	for _, tt := range tests {
		r := newRequest(tt.method, tt.target, "")
		if tt.accept != "" {
			r.Header.Set("Accept", tt.accept)
		}
		w := do(e, r)
		body := testenv.StripInfo(w.Body.String())
		if w.Code != tt.wantCode || (tt.wantBody != "" || tt.method == "HEAD") && body != tt.wantBody {
			t.Errorf("%s %s = %d %q; want %d %q", tt.method, tt.target, w.Code, body, tt.wantCode, tt.wantBody)
		}
		if got := isProbeAnswer(w.Header()); got != tt.wantProbe {
			t.Errorf("%s %s: a probe's answer (Cache-Control, X-Content-Type-Options) = %v; want %v", tt.method, tt.target, got, tt.wantProbe)
		}
		if tt.accept != "" && w.Header().Get("Content-Type") != tt.accept {
			t.Errorf("%s %s with Accept %s: Content-Type = %q; want %q", tt.method, tt.target, tt.accept, w.Header().Get("Content-Type"), tt.accept)
		}
		if want := map[bool]string{true: "GET, HEAD"}[tt.wantCode == 405]; w.Header().Get("Allow") != want {
			t.Errorf("%s %s: Allow = %q; want %q", tt.method, tt.target, w.Header().Get("Allow"), want)
		}
	}
}

// isProbeAnswer reports whether header carries the headers every probe
// answer has.
func isProbeAnswer(header http.Header) bool {
	return header.Get("Cache-Control") == probehttp.CacheControl && header.Get("X-Content-Type-Options") == probehttp.ContentTypeOptions
}
