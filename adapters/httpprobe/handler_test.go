package httpprobe_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/testenv"
)

// TestProbeHandlers mounts Liveness, Readiness and Startup on a ServeMux at
// paths of the app's own, with and without a method in the pattern: each
// answers its probe whatever the path, in every format.
func TestProbeHandlers(t *testing.T) {
	t.Parallel()
	h := testenv.Unhealthy(t)
	mux := http.NewServeMux()
	mux.Handle("GET /internal/alive", httpprobe.Liveness(h))
	mux.Handle("/internal/ready", httpprobe.Readiness(h)) // every method: the probe answers 405
	mux.Handle("GET /internal/started", httpprobe.Startup(h))
	mux.Handle("/", &app{})
	tests := []struct {
		method, target string
		accept         string
		wantCode       int
		wantCT         string
		wantBody       string // exact, when set (HEAD: always empty)
	}{
		{"GET", "/internal/alive", "", 200, probehttp.ContentTypeJSON, `{"status":"ok"}` + "\n"},
		{"HEAD", "/internal/alive", "", 200, probehttp.ContentTypeJSON, ""},
		{"GET", "/internal/ready", "", 503, probehttp.ContentTypeJSON, ""},
		{"GET", "/internal/ready?verbose", "", 503, "text/plain; charset=utf-8", "[+]redis ok\n[-]db failed: reason withheld\nreadiness check failed\n"},
		{"GET", "/internal/ready?exclude=db", "", 200, probehttp.ContentTypeJSON, ""},
		{"GET", "/internal/ready", "application/health+json", 503, "application/health+json", ""},
		{"HEAD", "/internal/ready", "", 503, probehttp.ContentTypeJSON, ""},
		{"POST", "/internal/ready", "", 405, probehttp.ContentTypeJSON, `{"error":"method not allowed"}` + "\n"},
		{"GET", "/internal/started", "", 200, probehttp.ContentTypeJSON, `{"status":"ok"}` + "\n"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.target, nil)
		if tt.accept != "" {
			r.Header.Set("Accept", tt.accept)
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		body := testenv.StripInfo(w.Body.String())
		if w.Code != tt.wantCode || w.Header().Get("Content-Type") != tt.wantCT || (tt.wantBody != "" || tt.method == "HEAD") && body != tt.wantBody {
			t.Errorf("%s %s = %d %s %q; want %d %s %q", tt.method, tt.target, w.Code, w.Header().Get("Content-Type"), body, tt.wantCode, tt.wantCT, tt.wantBody)
		}
		if got := w.Header().Get("Cache-Control"); got != probehttp.CacheControl {
			t.Errorf("%s %s: Cache-Control = %q; want %q", tt.method, tt.target, got, probehttp.CacheControl)
		}
		if want := map[bool]string{true: "GET, HEAD"}[tt.wantCode == 405]; w.Header().Get("Allow") != want {
			t.Errorf("%s %s: Allow = %q; want %q", tt.method, tt.target, w.Header().Get("Allow"), want)
		}
	}
}

// TestNilHealth checks that every function taking a *core.Health refuses
// a nil one at once, naming itself, rather than at the first request.
func TestNilHealth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		give func()
	}{
		{"Wrap", func() { httpprobe.Wrap(nil, http.NotFoundHandler()) }},
		{"Middleware", func() { httpprobe.Middleware(nil) }},
		{"Handler", func() { httpprobe.Handler(nil) }},
		{"Skipper", func() { httpprobe.Skipper(nil) }},
		{"IsProbe", func() { httpprobe.IsProbe(nil, nil) }},
		{"Liveness", func() { httpprobe.Liveness(nil) }},
		{"Readiness", func() { httpprobe.Readiness(nil) }},
		{"Startup", func() { httpprobe.Startup(nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := "httpprobe: " + tt.name + " with a nil *core.Health"
			defer func() {
				if got := recover(); got != want {
					t.Errorf("%s(nil) panicked with %v; want %q", tt.name, got, want)
				}
			}()
			tt.give()
		})
	}
}
