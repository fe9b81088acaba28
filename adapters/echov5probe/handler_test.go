package echov5probe_test

import (
	"net/http"
	"testing"

	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/internal/testenv"
)

// TestProbeHandlers mounts each probe on a route of the app's choosing,
// with Echo's Match, Any and a single method.
func TestProbeHandlers(t *testing.T) {
	t.Parallel()
	h := fixture(t, unhealthy)
	e := newEcho()
	getHead := []string{http.MethodGet, http.MethodHead}
	e.Match(getHead, "/internal/alive", echov5probe.Liveness(h))
	e.Match(getHead, "/internal/ready", echov5probe.Readiness(h))
	e.Match(getHead, "/internal/started", echov5probe.Startup(h))
	e.POST("/internal/ready", echov5probe.Readiness(h))
	e.Any("/internal/any-ready", echov5probe.Readiness(h))
	tests := []struct {
		method, target string
		accept         string
		wantCode       int
		wantBody       string
	}{
		{"GET", "/internal/alive", "", 200, ""},
		{"HEAD", "/internal/alive", "", 200, ""},
		{"GET", "/internal/ready?verbose", "", 503, "[+]redis ok\n[-]db failed: reason withheld\n[+]cache ok\nreadiness check failed\n"},
		{"GET", "/internal/ready?exclude=db&verbose", "", 200, "[+]redis ok\n[+]db excluded: ok\n[+]cache ok\nreadiness check passed\n"},
		{"GET", "/internal/ready", "application/health+json", 503, ""},
		{"HEAD", "/internal/ready", "", 503, ""},
		{"POST", "/internal/ready", "", 405, methodNotAllowed},
		{"DELETE", "/internal/any-ready", "", 405, methodNotAllowed},
		{"GET", "/internal/any-ready", "", 503, ""},
		{"GET", "/internal/started", "", 200, `{"status":"ok"}` + "\n"},
	}
	for _, tt := range tests {
		r := newRequest(tt.method, tt.target, "")
		if tt.accept != "" {
			r.Header.Set("Accept", tt.accept)
		}
		w := do(e, r)
		body := testenv.StripInfo(w.Body.String())
		if w.Code != tt.wantCode || (tt.wantBody != "" || tt.method == "HEAD") && body != tt.wantBody || !isProbeAnswer(w) {
			t.Errorf("%s %s = %d %q (probe answer: %v); want %d %q", tt.method, tt.target, w.Code, body, isProbeAnswer(w), tt.wantCode, tt.wantBody)
		}
		if tt.accept != "" && w.Header().Get("Content-Type") != tt.accept {
			t.Errorf("%s %s with Accept %s: Content-Type %q", tt.method, tt.target, tt.accept, w.Header().Get("Content-Type"))
		}
		if want := map[bool]string{true: "GET, HEAD"}[tt.wantCode == 405]; w.Header().Get("Allow") != want {
			t.Errorf("%s %s: Allow = %q; want %q", tt.method, tt.target, w.Header().Get("Allow"), want)
		}
	}
}
