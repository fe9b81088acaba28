package echoprobe_test

import (
	"bytes"
	"errors"
	"net/http"
	"testing"

	"github.com/probekit/probekit/internal/testenv"

	"github.com/labstack/echo/v4"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// layouts are the two ways to register the one line.
var layouts = []struct {
	name     string
	register func(e *echo.Echo, h *core.Health, rec *recorder)
}{
	{"pre", func(e *echo.Echo, h *core.Health, rec *recorder) {
		// e.Use before e.Pre on purpose: pre-middleware runs first anyway.
		e.Use(rec.middleware)
		e.Pre(echoprobe.Middleware(h))
	}},
	{"use", func(e *echo.Echo, h *core.Health, rec *recorder) {
		e.Use(echoprobe.Middleware(h))
		e.Use(rec.middleware)
	}},
}

func TestMiddleware(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, target string
		wantCode       int
		wantApp        bool   // the request reached the app's middleware
		wantBody       string // exact, when set (HEAD: always empty)
	}{
		{"GET", "/healthz", 200, false, `{"status":"ok"}` + "\n"},
		{"HEAD", "/healthz", 200, false, ""},
		{"GET", "/livez", 200, false, `{"status":"ok"}` + "\n"}, // the app has POST /livez: no 405 from Echo
		{"POST", "/livez", 405, false, `{"error":"method not allowed"}` + "\n"},
		{"GET", "/readyz", 200, false, `{"status":"ok"}` + "\n"},
		{"GET", "/readyz?verbose", 200, false, "readiness check passed\n"},
		{"PUT", "/readyz", 405, false, `{"error":"method not allowed"}` + "\n"},
		{"GET", "/readyz/nosuch", 404, false, `{"error":"unknown check"}` + "\n"},
		{"GET", "/startupz", 200, false, `{"status":"ok"}` + "\n"},
		{"GET", "/api/whoami", 200, true, `{"user":"demo"}`},
		{"POST", "/livez/", 404, true, ""},
		{"GET", "/healthz/", 404, true, ""},
		{"GET", "/HEALTHZ", 404, true, ""},
		{"GET", "//healthz", 404, true, ""},
		{"GET", "/healthz/../api/whoami", 404, true, ""},
		{"GET", "/healthz%2F..%2Fapi%2Fwhoami", 404, true, ""},
		{"GET", "/health%7A", 404, true, ""},
		{"GET", "/healthzz", 404, true, ""},
		{"GET", "/readyz/redis/x", 404, true, ""},
	}
	for _, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			h := testenv.NewHealth(t)
			e := newEcho()
			rec := &recorder{}
			l.register(e, h, rec)
			e.GET("/api/whoami", whoami)
			e.POST("/livez", whoami)
			for _, tt := range tests {
				before := len(rec.got)
				w := serve(e, tt.method, tt.target, false)
				if w.Code != tt.wantCode {
					t.Errorf("%s %s = %d; want %d (body %q)", tt.method, tt.target, w.Code, tt.wantCode, w.Body)
				}
				if (tt.wantBody != "" || tt.method == "HEAD") && testenv.StripInfo(w.Body.String()) != tt.wantBody {
					t.Errorf("%s %s body = %q; want %q", tt.method, tt.target, w.Body, tt.wantBody)
				}
				reached := len(rec.got) > before
				if reached != tt.wantApp {
					t.Errorf("%s %s reached the app: %v; want %v", tt.method, tt.target, reached, tt.wantApp)
				}
				if reached && rec.got[len(rec.got)-1] != tt.method+" "+tt.target {
					t.Errorf("the app got %q; want the request unchanged (%s %s)", rec.got[len(rec.got)-1], tt.method, tt.target)
				}
				if !reached {
					if got := w.Header().Get("Cache-Control"); got != probehttp.CacheControl {
						t.Errorf("%s %s: Cache-Control = %q; want %q", tt.method, tt.target, got, probehttp.CacheControl)
					}
					if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
						t.Errorf("%s %s: X-Content-Type-Options = %q; want nosniff", tt.method, tt.target, got)
					}
				}
				if wantAllow := map[bool]string{true: "GET, HEAD"}[tt.wantCode == 405 && !tt.wantApp]; w.Header().Get("Allow") != wantAllow {
					t.Errorf("%s %s: Allow = %q; want %q", tt.method, tt.target, w.Header().Get("Allow"), wantAllow)
				}
			}
		})
	}
}

// TestMiddlewareCommits checks what the middleware and handlers around a
// probe see: a committed response with the probe's status and size, HEAD
// included, and nothing written twice even when an outer middleware
// returns an error after the probe was answered.
func TestMiddlewareCommits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, target string
		wantCode       int
		wantSize       int64
	}{
		{"GET", "/healthz", 200, int64(len(`{"status":"ok"}` + "\n"))},
		{"HEAD", "/healthz", 200, 0},
		{"HEAD", "/readyz/nosuch", 404, 0},
		{"DELETE", "/readyz", 405, int64(len(`{"error":"method not allowed"}` + "\n"))},
	}
	for _, l := range []string{"pre", "use"} {
		t.Run(l, func(t *testing.T) {
			t.Parallel()
			h := testenv.NewHealth(t)
			e := newEcho()
			var logs bytes.Buffer
			e.Logger.SetOutput(&logs) // Echo warns "response already committed" on a second WriteHeader
			var committed bool
			var status int
			var size int64
			errAfter := errors.New("outer middleware failed after the probe")
			outer := func(next echo.HandlerFunc) echo.HandlerFunc {
				return func(c echo.Context) error {
					_ = next(c)
					committed, status, size = c.Response().Committed, c.Response().Status, c.Response().Size
					return errAfter // Echo's HTTPErrorHandler must not write over the probe
				}
			}
			if l == "pre" {
				e.Pre(outer, echoprobe.Middleware(h))
			} else {
				e.Use(outer, echoprobe.Middleware(h))
			}
			get := serve(e, "GET", "/healthz", false)
			for _, tt := range tests {
				w := serve(e, tt.method, tt.target, false)
				if !committed || status != tt.wantCode || size != tt.wantSize {
					t.Errorf("%s %s: Response committed=%v status=%d size=%d; want true %d %d", tt.method, tt.target, committed, status, size, tt.wantCode, tt.wantSize)
				}
				if w.Code != tt.wantCode || int64(w.Body.Len()) != tt.wantSize {
					t.Errorf("%s %s = %d with %d bytes; want %d with %d", tt.method, tt.target, w.Code, w.Body.Len(), tt.wantCode, tt.wantSize)
				}
				if tt.method == "HEAD" && tt.target == "/healthz" && w.Header().Get("Content-Length") != get.Header().Get("Content-Length") {
					t.Errorf("HEAD /healthz: Content-Length %q; GET gives %q", w.Header().Get("Content-Length"), get.Header().Get("Content-Length"))
				}
			}
			if logs.Len() != 0 {
				t.Errorf("Echo logged %q; want nothing", logs.String())
			}
		})
	}
}

// TestMiddlewareBeforeRouting checks that, registered with e.Pre, the
// probes answer before Echo routes: an app route at a probe path, with
// its own middleware, never runs.
func TestMiddlewareBeforeRouting(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	e := newEcho()
	rec := &recorder{}
	e.Use(rec.middleware)
	e.Pre(echoprobe.Middleware(h))
	e.GET("/readyz", func(c echo.Context) error { return c.String(http.StatusTeapot, "app") }, rec.middleware)
	e.Any("/*", func(c echo.Context) error { return c.String(http.StatusTeapot, "app") })
	for _, target := range []string{"/readyz", "/healthz", "/readyz/nosuch"} {
		w := serve(e, "GET", target, false)
		if w.Code == http.StatusTeapot || len(rec.got) != 0 {
			t.Errorf("GET %s = %d, app saw %v; want the probe's answer and no app code", target, w.Code, rec.got)
		}
	}
	if w := serve(e, "GET", "/readyz/", false); w.Code != http.StatusTeapot {
		t.Errorf("GET /readyz/ = %d; want %d from the app's catch-all route", w.Code, http.StatusTeapot)
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
		{"Middleware", func() { echoprobe.Middleware(nil) }},
		{"Skipper", func() { echoprobe.Skipper(nil) }},
		{"IsProbe", func() { echoprobe.IsProbe(nil, nil) }},
		{"Liveness", func() { echoprobe.Liveness(nil) }},
		{"Readiness", func() { echoprobe.Readiness(nil) }},
		{"Startup", func() { echoprobe.Startup(nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := "echoprobe: " + tt.name + " with a nil *core.Health"
			defer func() {
				if got := recover(); got != want {
					t.Errorf("%s(nil) panicked with %v; want %q", tt.name, got, want)
				}
			}()
			tt.give()
		})
	}
}
