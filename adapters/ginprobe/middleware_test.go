package ginprobe_test

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/probekit/probekit/internal/testenv"

	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/core/probehttp"
)

// recorder is Gin middleware and handlers that record every request that
// reaches them.
type recorder struct{ n atomic.Int64 }

func (rec *recorder) middleware(c *gin.Context) { rec.n.Add(1) }

func (rec *recorder) handler(code int) gin.HandlerFunc {
	return func(c *gin.Context) {
		rec.n.Add(1)
		c.String(code, "app")
	}
}

const unknownCheckBody = `{"error":"unknown check"}` + "\n"

func TestMiddleware(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	after := &recorder{}    // middleware registered after the probes
	handlers := &recorder{} // route, NoRoute and NoMethod handlers
	r := gin.New()
	r.Use(ginprobe.Middleware(h))
	r.Use(after.middleware)
	r.GET("/api/users", handlers.handler(http.StatusOK))
	r.GET("/healthz", handlers.handler(http.StatusTeapot)) // shadowed by the probe
	r.NoRoute(handlers.handler(http.StatusNotFound))
	tests := []struct {
		method, target string
		wantCode       int
		wantCT         string
		wantBody       string // exact, when wantProbe
		wantProbe      bool
	}{
		{"GET", "/healthz", 200, probehttp.ContentTypeJSON, `{"status":"ok"}` + "\n", true},
		{"HEAD", "/healthz", 200, probehttp.ContentTypeJSON, "", true},
		{"GET", "/readyz", 200, probehttp.ContentTypeJSON, `{"status":"ok"}` + "\n", true},
		{"HEAD", "/readyz", 200, probehttp.ContentTypeJSON, "", true},
		{"GET", "/readyz?verbose", 200, "text/plain; charset=utf-8", "readiness check passed\n", true},
		{"GET", "/readyz/nosuch", 404, probehttp.ContentTypeJSON, unknownCheckBody, true},
		{"HEAD", "/readyz/nosuch", 404, probehttp.ContentTypeJSON, "", true},
		{"POST", "/readyz", 405, probehttp.ContentTypeJSON, `{"error":"method not allowed"}` + "\n", true},
		{"GET", "/api/users", 200, "text/plain; charset=utf-8", "", false},
		{"GET", "/nowhere", 404, "text/plain; charset=utf-8", "", false},
		// Gin redirects /healthz/ to the route registered at /healthz
		// before any middleware runs; the client then asks for the probe.
		{"GET", "/healthz/", 301, "text/html; charset=utf-8", "", false},
		{"GET", "/HEALTHZ", 404, "text/plain; charset=utf-8", "", false},
		{"GET", "/healthzz", 404, "text/plain; charset=utf-8", "", false},
	}
	for _, tt := range tests {
		beforeAfter, beforeHandlers := after.n.Load(), handlers.n.Load()
		w := serve(r, tt.method, tt.target)
		req := tt.method + " " + tt.target
		if w.Code != tt.wantCode {
			t.Errorf("%s = %d; want %d (body %q)", req, w.Code, tt.wantCode, w.Body)
		}
		if got := w.Header().Get("Content-Type"); got != tt.wantCT {
			t.Errorf("%s: Content-Type %q; want %q", req, got, tt.wantCT)
		}
		if got := isProbeAnswer(w); got != tt.wantProbe {
			t.Errorf("%s answered by the probes: %v; want %v", req, got, tt.wantProbe)
		}
		ranAfter := after.n.Load() > beforeAfter || handlers.n.Load() > beforeHandlers
		if tt.wantProbe {
			if ranAfter {
				t.Errorf("%s: middleware or handlers after the probes ran", req)
			}
			if testenv.StripInfo(w.Body.String()) != tt.wantBody {
				t.Errorf("%s: body %q; want %q", req, w.Body, tt.wantBody)
			}
			if tt.method == "HEAD" {
				get := serve(r, "GET", tt.target)
				if cl := w.Header().Get("Content-Length"); cl != strconv.Itoa(get.Body.Len()) {
					t.Errorf("%s: Content-Length %s; want %d, GET's body length", req, cl, get.Body.Len())
				}
			}
		} else if !ranAfter && w.Code != http.StatusMovedPermanently {
			t.Errorf("%s: did not reach the middleware and handlers after the probes", req)
		}
	}
}

// TestMiddlewareErrorPaths checks that Gin's own 404 and 405 answers never
// overwrite a probe answer, with and without a route at the path and with
// HandleMethodNotAllowed on.
func TestMiddlewareErrorPaths(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	for _, methodNotAllowed := range []bool{false, true} {
		r := gin.New()
		r.HandleMethodNotAllowed = methodNotAllowed
		r.Use(ginprobe.Middleware(h))
		// Routes of another method at probe paths send a request for them
		// down Gin's 405 path when HandleMethodNotAllowed is on.
		r.PUT("/readyz", func(c *gin.Context) { c.Status(http.StatusTeapot) })
		r.PUT("/readyz/:name", func(c *gin.Context) { c.Status(http.StatusTeapot) })
		tests := []struct {
			method, target string
			wantCode       int
			wantBody       string
		}{
			{"GET", "/readyz", 200, `{"status":"ok"}` + "\n"},
			{"HEAD", "/readyz", 200, ""},
			{"GET", "/readyz/nosuch", 404, unknownCheckBody},
			{"HEAD", "/readyz/nosuch", 404, ""},
			{"POST", "/readyz/nosuch", 405, `{"error":"method not allowed"}` + "\n"},
			{"PUT", "/readyz", 405, `{"error":"method not allowed"}` + "\n"},
			{"HEAD", "/healthz", 200, ""},
			{"GET", "/startupz", 200, `{"status":"ok"}` + "\n"},
		}
		for _, tt := range tests {
			w := serve(r, tt.method, tt.target)
			if w.Code != tt.wantCode || w.Body.String() != tt.wantBody || w.Header().Get("Content-Type") != probehttp.ContentTypeJSON {
				t.Errorf("HandleMethodNotAllowed=%v: %s %s = %d %q %q; want %d %q %q", methodNotAllowed, tt.method, tt.target,
					w.Code, w.Header().Get("Content-Type"), w.Body, tt.wantCode, probehttp.ContentTypeJSON, tt.wantBody)
			}
			if tt.wantCode == 405 && w.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("HandleMethodNotAllowed=%v: %s %s: Allow %q; want %q", methodNotAllowed, tt.method, tt.target, w.Header().Get("Allow"), "GET, HEAD")
			}
		}
	}
}

// TestNilHealthPanics checks that every function taking a *core.Health
// refuses a nil one at once, naming itself, rather than at the first
// request.
func TestNilHealthPanics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		give func()
	}{
		{"Middleware", func() { ginprobe.Middleware(nil) }},
		{"Skipper", func() { ginprobe.Skipper(nil) }},
		{"IsProbe", func() { ginprobe.IsProbe(nil, nil) }},
		{"Liveness", func() { ginprobe.Liveness(nil) }},
		{"Readiness", func() { ginprobe.Readiness(nil) }},
		{"Startup", func() { ginprobe.Startup(nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := "ginprobe: " + tt.name + " with a nil *core.Health"
			defer func() {
				if got := recover(); got != want {
					t.Errorf("%s(nil) panicked with %v; want %q", tt.name, got, want)
				}
			}()
			tt.give()
		})
	}
}

// TestRouteBelowAProbePath pins the one way an app's own routes can keep a
// probe from the middleware, as the docs say: Gin redirects a path whose
// trailing-slash twin is a route before any middleware runs, so a route at
// /readyz/ turns GET /readyz into a redirect while RedirectTrailingSlash
// is on.
func TestRouteBelowAProbePath(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	for _, trailingSlash := range []bool{true, false} {
		r := gin.New()
		r.RedirectTrailingSlash = trailingSlash
		r.Use(ginprobe.Middleware(h))
		r.GET("/readyz/", func(c *gin.Context) { c.Status(http.StatusTeapot) })
		w := serve(r, "GET", "/readyz")
		if trailingSlash && (w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/readyz/") {
			t.Errorf("RedirectTrailingSlash on: GET /readyz = %d %q; want Gin's 301 to /readyz/", w.Code, w.Header().Get("Location"))
		}
		if !trailingSlash && (w.Code != http.StatusOK || !isProbeAnswer(w)) {
			t.Errorf("RedirectTrailingSlash off: GET /readyz = %d; want the probe's 200", w.Code)
		}
	}
}
