package httpprobe_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/internal/testenv"
)

// TestServeMuxMethodPatterns mounts the probes on a Go 1.22+ ServeMux with
// method patterns beside an app's catch-all "GET /": GET and HEAD reach
// the probe, other methods get the mux's own 405, and the app keeps every
// other path.
func TestServeMuxMethodPatterns(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	a := &app{}
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", httpprobe.Liveness(h))
	mux.Handle("GET /readyz", httpprobe.Readiness(h))
	mux.Handle("GET /readyz/{check}", httpprobe.Handler(h))
	mux.Handle("GET /", a)

	tests := []struct {
		method, target string
		wantCode       int
		wantBody       string // prefix
		wantAllow      string
	}{
		{method: "GET", target: "/healthz", wantCode: 200, wantBody: `{"status":"ok"`},
		{method: "HEAD", target: "/readyz", wantCode: 200},
		{method: "GET", target: "/readyz?verbose", wantCode: 200, wantBody: "readiness check passed"},
		{method: "POST", target: "/readyz", wantCode: 405, wantAllow: "GET, HEAD"},
		{method: "GET", target: "/readyz/nosuch", wantCode: 404, wantBody: `{"error":"unknown check"}`},
		{method: "GET", target: "/readyz/", wantCode: http.StatusTeapot},
		{method: "GET", target: "/api/whoami", wantCode: http.StatusTeapot},
	}
	for _, tt := range tests {
		w := serve(mux, tt.method, tt.target)
		if w.Code != tt.wantCode {
			t.Errorf("%s %s = %d; want %d", tt.method, tt.target, w.Code, tt.wantCode)
		}
		if tt.wantBody != "" && !strings.Contains(w.Body.String(), tt.wantBody) {
			t.Errorf("%s %s body %q; want it to contain %q", tt.method, tt.target, w.Body, tt.wantBody)
		}
		if got := w.Header().Get("Allow"); tt.wantAllow != "" && got != tt.wantAllow {
			t.Errorf("%s %s Allow = %q; want %q", tt.method, tt.target, got, tt.wantAllow)
		}
	}
}

// TestServeMuxMethodlessPatternConflicts shows why the probes are mounted
// with method patterns: a method-less "/readyz" and an app's "GET /"
// overlap with neither more specific, and ServeMux panics at registration.
func TestServeMuxMethodlessPatternConflicts(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	mux := http.NewServeMux()
	mux.Handle("GET /", &app{})
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "conflicts with pattern \"GET /\"") {
			t.Errorf("Handle(%q) after %q: recover() = %v; want a conflict panic", "/readyz", "GET /", r)
		}
	}()
	mux.Handle("/readyz", httpprobe.Readiness(h))
}
