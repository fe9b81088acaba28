package echov5probe_test

import (
	"cmp"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/labstack/echo/v5"

	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/testenv"
)

// layouts are the ways to register the one line, each with the app's auth
// (KeyAuth) and the app's own middleware (app) after the probes.
var layouts = []struct {
	name     string
	register func(e *echo.Echo, h *core.Health, app echo.MiddlewareFunc)
}{
	{"pre", func(e *echo.Echo, h *core.Health, app echo.MiddlewareFunc) {
		e.Use(keyAuth(nil), app) // before e.Pre on purpose: pre-middleware runs first anyway
		e.Pre(echov5probe.Middleware(h))
	}},
	{"use", func(e *echo.Echo, h *core.Health, app echo.MiddlewareFunc) {
		e.Use(echov5probe.Middleware(h), keyAuth(nil), app)
	}},
	{"auth-first", func(e *echo.Echo, h *core.Health, app echo.MiddlewareFunc) {
		e.Use(keyAuth(echov5probe.Skipper(h)), echov5probe.Middleware(h), app)
	}},
	{"auth-first/pre", func(e *echo.Echo, h *core.Health, app echo.MiddlewareFunc) {
		e.Pre(keyAuth(echov5probe.Skipper(h)), echov5probe.Middleware(h))
		e.Use(app)
	}},
}

const (
	ctJSON = probehttp.ContentTypeJSON
	ctIETF = probehttp.ContentTypeIETF
	ctText = probehttp.ContentTypeText
)

var (
	methodNotAllowed = `{"error":"method not allowed"}` + "\n"
	unknownCheck     = `{"error":"unknown check"}` + "\n"
)

// probeCases are probe requests and the answers they get, by Health state.
var probeCases = []struct {
	state          state
	method, target string
	accept         string
	wantCode       int
	wantCT         string
	wantStatus     string   // the JSON "status", when set
	wantChecks     []string // the JSON check names, sorted, when set
	wantBody       string   // exact (without the verbose info line), when set or HEAD
}{
	// Statuses by state.
	{state: healthy, target: "/healthz", wantCode: 200, wantCT: ctJSON, wantStatus: "ok", wantChecks: []string{"loop"}},
	{state: healthy, target: "/livez", wantCode: 200, wantStatus: "ok"},
	{state: healthy, target: "/readyz", wantCode: 200, wantCT: ctJSON, wantStatus: "ok", wantChecks: []string{"cache", "db", "redis"}},
	{state: healthy, target: "/startupz", wantCode: 200, wantBody: `{"status":"ok"}` + "\n"},
	{state: unhealthy, target: "/readyz", wantCode: 503, wantStatus: "unhealthy", wantChecks: []string{"cache", "db", "redis"}},
	{state: unhealthy, target: "/healthz", wantCode: 200, wantStatus: "ok"},
	{state: degraded, target: "/readyz", wantCode: 200, wantStatus: "degraded"},
	{state: starting, target: "/readyz", wantCode: 503, wantStatus: "starting"},
	{state: starting, target: "/healthz", wantCode: 200, wantStatus: "ok"},
	{state: draining, target: "/readyz", wantCode: 503, wantStatus: "draining"},
	{state: draining, target: "/healthz", wantCode: 200, wantStatus: "ok"},
	{state: draining, target: "/livez", wantCode: 200, wantStatus: "ok"},

	// Formats.
	{state: healthy, target: "/readyz?verbose", wantCode: 200, wantCT: ctText, wantBody: "[+]redis ok\n[+]db ok\n[+]cache ok\nreadiness check passed\n"},
	{state: unhealthy, target: "/readyz?verbose", wantCode: 503, wantCT: ctText, wantBody: "[+]redis ok\n[-]db failed: reason withheld\n[+]cache ok\nreadiness check failed\n"},
	{state: degraded, target: "/readyz?verbose=true", wantCode: 200, wantBody: "[+]redis ok\n[+]db ok\n[-]cache failed (non-critical): reason withheld\nreadiness check passed\n"},
	{state: draining, target: "/readyz?verbose", wantCode: 503, wantBody: "[+]redis ok\n[+]db ok\n[+]cache ok\n[-]shutdown draining\nreadiness check failed\n"},
	{state: healthy, target: "/readyz", accept: "application/health+json", wantCode: 200, wantCT: ctIETF, wantStatus: "pass"},
	{state: degraded, target: "/readyz", accept: "application/health+json", wantCode: 200, wantCT: ctIETF, wantStatus: "warn"},
	{state: unhealthy, target: "/readyz", accept: "application/health+json", wantCode: 503, wantCT: ctIETF, wantStatus: "fail"},
	{state: healthy, target: "/readyz?verbose=0&cachebust=17", wantCode: 200, wantCT: ctJSON, wantStatus: "ok"},

	// One check, exclusions.
	{state: unhealthy, target: "/readyz/redis", wantCode: 200, wantStatus: "ok", wantChecks: []string{"redis"}},
	{state: unhealthy, target: "/readyz/db", wantCode: 503, wantStatus: "unhealthy", wantChecks: []string{"db"}},
	{state: starting, target: "/readyz/db", wantCode: 503, wantStatus: "starting"},
	{state: healthy, target: "/readyz/db?verbose", wantCode: 200, wantBody: "[+]db ok\ndb check passed\n"},
	{state: healthy, target: "/healthz/loop", wantCode: 200, wantChecks: []string{"loop"}},
	{state: healthy, target: "/healthz/db", wantCode: 404, wantCT: ctJSON, wantBody: unknownCheck},
	{state: healthy, target: "/readyz/nosuch", wantCode: 404, wantCT: ctJSON, wantBody: unknownCheck},
	{state: unhealthy, target: "/readyz?exclude=db", wantCode: 200, wantStatus: "ok", wantChecks: []string{"cache", "redis"}},
	{state: starting, target: "/readyz?exclude=db", wantCode: 200, wantStatus: "ok"},
	{state: unhealthy, target: "/readyz?exclude=db&exclude=redis&verbose", wantCode: 200, wantBody: "[+]redis excluded: ok\n[+]db excluded: ok\n[+]cache ok\nreadiness check passed\n"},
	{state: draining, target: "/readyz?exclude=db", wantCode: 503, wantStatus: "draining"},

	// Methods.
	{state: healthy, method: "HEAD", target: "/healthz", wantCode: 200},
	{state: unhealthy, method: "HEAD", target: "/readyz", wantCode: 503},
	{state: healthy, method: "HEAD", target: "/readyz/nosuch", wantCode: 404},
	{state: healthy, method: "POST", target: "/readyz", wantCode: 405, wantCT: ctJSON, wantBody: methodNotAllowed},
	{state: healthy, method: "PUT", target: "/livez", wantCode: 405, wantBody: methodNotAllowed}, // the app has PUT /livez: no route runs
	{state: healthy, method: "DELETE", target: "/healthz", wantCode: 405, wantBody: methodNotAllowed},
	{state: healthy, method: "OPTIONS", target: "/readyz/db", wantCode: 405, wantBody: methodNotAllowed},
	{state: draining, method: "POST", target: "/startupz", wantCode: 405, wantBody: methodNotAllowed},
}

// TestMiddleware runs every probe case through e.ServeHTTP in every
// layout: the probes answer (status, Content-Type, body, Cache-Control,
// nosniff, Allow on 405, HEAD with GET's Content-Length) and the request
// never reaches the app's auth or middleware.
func TestMiddleware(t *testing.T) {
	t.Parallel()
	for _, s := range []state{healthy, unhealthy, degraded, starting, draining} {
		t.Run(string(s), func(t *testing.T) {
			t.Parallel()
			h := fixture(t, s)
			for _, l := range layouts {
				t.Run(l.name, func(t *testing.T) {
					e := newEcho()
					app := &recorder{}
					l.register(e, h, app.middleware)
					e.GET("/api/whoami", whoami)
					e.PUT("/livez", whoami)
					for _, tt := range probeCases {
						if tt.state != s {
							continue
						}
						method := cmp.Or(tt.method, http.MethodGet)
						req := method + " " + tt.target
						r := newRequest(method, tt.target, "")
						if tt.accept != "" {
							r.Header.Set("Accept", tt.accept)
						}
						w := do(e, r)
						body := w.Body.String()
						if w.Code != tt.wantCode {
							t.Errorf("%s = %d %q; want %d", req, w.Code, body, tt.wantCode)
						}
						if tt.wantCT != "" && w.Header().Get("Content-Type") != tt.wantCT {
							t.Errorf("%s: Content-Type = %q; want %q", req, w.Header().Get("Content-Type"), tt.wantCT)
						}
						if (tt.wantBody != "" || method == http.MethodHead) && testenv.StripInfo(body) != tt.wantBody {
							t.Errorf("%s: body = %q; want %q", req, body, tt.wantBody)
						}
						if tt.wantStatus != "" || tt.wantChecks != nil {
							gotStatus, gotChecks := decode(t, body)
							if tt.wantStatus != "" && gotStatus != tt.wantStatus {
								t.Errorf("%s: status %q; want %q", req, gotStatus, tt.wantStatus)
							}
							if tt.wantChecks != nil && !slices.Equal(gotChecks, tt.wantChecks) {
								t.Errorf("%s: checks %v; want %v", req, gotChecks, tt.wantChecks)
							}
						}
						if !isProbeAnswer(w) {
							t.Errorf("%s: headers %v; want Cache-Control: %s and X-Content-Type-Options: %s", req, w.Header(), probehttp.CacheControl, probehttp.ContentTypeOptions)
						}
						if wantAllow := map[bool]string{true: "GET, HEAD"}[tt.wantCode == 405]; w.Header().Get("Allow") != wantAllow {
							t.Errorf("%s: Allow = %q; want %q", req, w.Header().Get("Allow"), wantAllow)
						}
						if method == http.MethodHead {
							get := do(e, newRequest(http.MethodGet, tt.target, ""))
							if cl := w.Header().Get("Content-Length"); cl != strconv.Itoa(get.Body.Len()) || get.Code != w.Code {
								t.Errorf("%s = %d with Content-Length %s; GET = %d with %d bytes", req, w.Code, cl, get.Code, get.Body.Len())
							}
						}
						if len(app.got) != 0 {
							t.Fatalf("%s reached the app: %v", req, app.got)
						}
					}
				})
			}
		})
	}
}

// confusing are targets that look like probes and are not.
var confusing = testenv.ConfusingPaths

// TestMiddlewarePathConfusion sends every confusing path in every layout:
// without a token it gets the app's 401, never a probe's answer; with one
// it reaches the app's middleware unchanged and the router's 404.
func TestMiddlewarePathConfusion(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	for _, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			e := newEcho()
			app := &recorder{}
			l.register(e, h, app.middleware)
			e.GET("/api/whoami", whoami)
			for _, target := range confusing {
				for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPut} {
					w := serve(e, method, target, false)
					wantBody := missingKey
					if method == http.MethodHead {
						wantBody = ""
					}
					if w.Code != http.StatusUnauthorized || w.Body.String() != wantBody || isProbeAnswer(w) {
						t.Errorf("%s %s = %d %q (probe answer: %v); want 401 %q from the app's auth", method, target, w.Code, w.Body, isProbeAnswer(w), wantBody)
					}
				}
				app.got = nil
				w := serve(e, http.MethodGet, target, true)
				if w.Code != http.StatusNotFound || isProbeAnswer(w) {
					t.Errorf("GET %s with a token = %d %q; want the router's 404", target, w.Code, w.Body)
				}
				if want := []string{"GET " + target}; !slices.Equal(app.got, want) {
					t.Errorf("GET %s with a token: the app got %q; want %q", target, app.got, want)
				}
			}
			if w := serve(e, http.MethodGet, "/api/whoami", true); w.Code != http.StatusOK || w.Body.String() != `{"user":"demo"}` {
				t.Errorf("GET /api/whoami with a token = %d %q; want 200 from the app", w.Code, w.Body)
			}
		})
	}
}

// TestMiddlewareCommits checks what the middleware around a probe sees:
// Echo's Response committed with the probe's status and size, HEAD
// included, and nothing written twice when an outer middleware returns an
// error after the probe was answered.
func TestMiddlewareCommits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, target string
		wantCode       int
		wantSize       int64
	}{
		{"GET", "/startupz", 200, int64(len(`{"status":"ok"}` + "\n"))},
		{"HEAD", "/startupz", 200, 0},
		{"HEAD", "/readyz/nosuch", 404, 0},
		{"DELETE", "/readyz", 405, int64(len(methodNotAllowed))},
	}
	for _, chain := range []string{"pre", "use"} {
		t.Run(chain, func(t *testing.T) {
			t.Parallel()
			h := testenv.NewHealth(t)
			e := newEcho()
			handled := 0
			e.HTTPErrorHandler = func(c *echo.Context, err error) {
				handled++
				echo.DefaultHTTPErrorHandler(false)(c, err)
			}
			var got *echo.Response
			outer := func(next echo.HandlerFunc) echo.HandlerFunc {
				return func(c *echo.Context) error {
					_ = next(c)
					resp, err := echo.UnwrapResponse(c.Response())
					if err != nil {
						t.Fatal(err)
					}
					copied := *resp
					got = &copied
					return errors.New("outer middleware failed after the probe")
				}
			}
			if chain == "pre" {
				e.Pre(outer, echov5probe.Middleware(h))
			} else {
				e.Use(outer, echov5probe.Middleware(h))
			}
			for _, tt := range tests {
				handled = 0
				w := serve(e, tt.method, tt.target, false)
				if !got.Committed || got.Status != tt.wantCode || got.Size != tt.wantSize {
					t.Errorf("%s %s: Response committed=%v status=%d size=%d; want true %d %d", tt.method, tt.target, got.Committed, got.Status, got.Size, tt.wantCode, tt.wantSize)
				}
				if w.Code != tt.wantCode || int64(w.Body.Len()) != tt.wantSize || !isProbeAnswer(w) {
					t.Errorf("%s %s = %d with %d bytes; want the probe's %d with %d", tt.method, tt.target, w.Code, w.Body.Len(), tt.wantCode, tt.wantSize)
				}
				if handled != 1 {
					t.Errorf("%s %s: error handler called %d times; want 1 (writing nothing)", tt.method, tt.target, handled)
				}
			}
		})
	}
}

// TestMiddlewareBeforeRouting checks that, registered with e.Pre, the
// probes answer before Echo routes: an app route at a probe path, with its
// own middleware, never runs; and registered with e.Use they still answer
// before the route's handler and middleware.
func TestMiddlewareBeforeRouting(t *testing.T) {
	t.Parallel()
	for _, chain := range []string{"pre", "use"} {
		t.Run(chain, func(t *testing.T) {
			t.Parallel()
			h := testenv.NewHealth(t)
			e := newEcho()
			rec := &recorder{}
			if chain == "pre" {
				e.Use(rec.middleware)
				e.Pre(echov5probe.Middleware(h))
			} else {
				e.Use(echov5probe.Middleware(h), rec.middleware)
			}
			teapot := func(c *echo.Context) error { return c.String(http.StatusTeapot, "app") }
			e.GET("/readyz", teapot, rec.middleware)
			e.Any("/*", teapot)
			for _, target := range []string{"/readyz", "/healthz", "/readyz/nosuch"} {
				if w := serve(e, "GET", target, false); w.Code == http.StatusTeapot || len(rec.got) != 0 {
					t.Errorf("GET %s = %d, app saw %v; want the probe's answer and no app code", target, w.Code, rec.got)
				}
			}
			if w := serve(e, "GET", "/readyz/", false); w.Code != http.StatusTeapot {
				t.Errorf("GET /readyz/ = %d; want %d from the app's catch-all route", w.Code, http.StatusTeapot)
			}
		})
	}
}

// TestNilHealth checks that every constructor refuses a nil *core.Health
// at once, naming itself.
func TestNilHealth(t *testing.T) {
	t.Parallel()
	tests := map[string]func(){
		"Middleware": func() { echov5probe.Middleware(nil) },
		"Skipper":    func() { echov5probe.Skipper(nil) },
		"IsProbe":    func() { echov5probe.IsProbe(nil, nil) },
		"Liveness":   func() { echov5probe.Liveness(nil) },
		"Readiness":  func() { echov5probe.Readiness(nil) },
		"Startup":    func() { echov5probe.Startup(nil) },
		"DrainContext": func() {
			echov5probe.DrainContext(t.Context(), nil)
		},
	}
	for _, name := range slices.Sorted(maps.Keys(tests)) {
		want := "echov5probe: " + name + " with a nil *core.Health"
		func() {
			defer func() {
				if got := recover(); got != want {
					t.Errorf("%s(nil) panicked with %v; want %q", name, got, want)
				}
			}()
			tests[name]()
		}()
	}
}

// decode returns the "status" of a JSON or IETF probe body and the keys of
// its "checks", sorted.
func decode(t *testing.T, body string) (string, []string) {
	t.Helper()
	var v struct {
		Status string                     `json:"status"`
		Checks map[string]json.RawMessage `json:"checks"`
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("body %q: %v", body, err)
		return "", nil
	}
	return v.Status, slices.Sorted(maps.Keys(v.Checks))
}
