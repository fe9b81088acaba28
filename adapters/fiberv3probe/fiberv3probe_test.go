package fiberv3probe_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/compress"
	"github.com/gofiber/fiber/v3/middleware/etag"

	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/adapters/fiberv3probe/internal/fastkit"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/benchkit"
	"github.com/probekit/probekit/internal/testenv"
)

// TestNew checks which requests New answers and which it passes on, and
// that a request passed on reaches the app unchanged.
func TestNew(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	var reached []string
	app := fiber.New()
	app.Use(fiberv3probe.New(h))
	app.Use(func(c fiber.Ctx) error {
		reached = append(reached, c.Method()+" "+string(c.Request().URI().PathOriginal()))
		return c.SendStatus(fiber.StatusTeapot)
	})
	tests := []struct {
		method, target string
		wantCode       int
		wantApp        bool
	}{
		{"GET", "/healthz", 200, false},
		{"GET", "/livez", 200, false},
		{"HEAD", "/healthz", 200, false},
		{"GET", "/readyz", 200, false},
		{"GET", "/readyz?verbose", 200, false},
		{"GET", "/startupz", 200, false},
		{"POST", "/readyz", 405, false},
		{"GET", "/readyz/nosuch", 404, false},
		{"GET", "/api/users", 418, true},
		{"GET", "/healthz/", 418, true},
		{"GET", "/HEALTHZ", 418, true},
		{"GET", "//healthz", 418, true},
		{"GET", "/healthz/../api/x", 418, true},
		{"GET", "/healthz%2F..%2Fapi", 418, true},
		{"GET", "/healthzz", 418, true},
		{"PUT", "/healthz/", 418, true},
	}
	for _, tt := range tests {
		before := len(reached)
		got := do(t, app, tt.method, tt.target)
		if got.code != tt.wantCode {
			t.Errorf("%s %s = %d; want %d", tt.method, tt.target, got.code, tt.wantCode)
		}
		if r := len(reached) > before; r != tt.wantApp {
			t.Errorf("%s %s reached the app: %v; want %v", tt.method, tt.target, r, tt.wantApp)
		} else if r && reached[len(reached)-1] != tt.method+" "+strings.Split(tt.target, "?")[0] {
			t.Errorf("the app got %q; want the request unchanged (%s %s)", reached[len(reached)-1], tt.method, tt.target)
		}
	}
}

func TestNewHeaders(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	app := fiber.New()
	app.Use(fiberv3probe.New(h))
	want := probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/readyz"})
	tests := []struct {
		method, target string
		header         []string
		wantCode       int
		wantHeader     map[string]string
		wantBody       string
	}{
		{"GET", "/readyz", nil, 200, map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store",
			"X-Content-Type-Options": "nosniff", "Content-Length": strconv.Itoa(len(want.Body())), "Allow": ""}, string(want.Body())},
		{"GET", "/readyz", []string{"Accept", "application/health+json"}, 200, map[string]string{"Content-Type": "application/health+json"}, ""},
		{"GET", "/readyz?verbose", nil, 200, map[string]string{"Content-Type": "text/plain; charset=utf-8"}, "readiness check passed\n"},
		{"HEAD", "/readyz", nil, 200, map[string]string{"Content-Type": "application/json", "Content-Length": strconv.Itoa(len(want.Body()))}, ""},
		{"DELETE", "/healthz", nil, 405, map[string]string{"Allow": "GET, HEAD", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}, "{\"error\":\"method not allowed\"}\n"},
		{"POST", "/readyz/db", nil, 405, map[string]string{"Allow": "GET, HEAD"}, "{\"error\":\"method not allowed\"}\n"},
		{"GET", "/readyz/nosuch", nil, 404, map[string]string{"Cache-Control": "no-store", "Allow": ""}, "{\"error\":\"unknown check\"}\n"},
	}
	for _, tt := range tests {
		got := do(t, app, tt.method, tt.target, tt.header...)
		if got.code != tt.wantCode {
			t.Errorf("%s %s = %d; want %d", tt.method, tt.target, got.code, tt.wantCode)
		}
		for k, v := range tt.wantHeader {
			if g := got.header.Get(k); g != v {
				t.Errorf("%s %s: header %s = %q; want %q", tt.method, tt.target, k, g, v)
			}
		}
		if (tt.wantBody != "" || tt.method == "HEAD") && testenv.StripInfo(got.body) != tt.wantBody {
			t.Errorf("%s %s: body %q; want %q", tt.method, tt.target, got.body, tt.wantBody)
		}
	}
}

// TestNewResponseNotCopied checks that the body Fiber sends is the core's
// shared bytes, not a copy, and that sending it leaves them unchanged.
func TestNewResponseNotCopied(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	app := fiber.New()
	app.Use(fiberv3probe.New(h))
	shared := probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/healthz"}).Body()
	before := string(shared)
	ctx := fastkit.NewRequestCtx("GET", "/healthz")
	app.Handler()(ctx)
	sent := ctx.Response.Body()
	if len(sent) == 0 || &sent[0] != &shared[0] {
		t.Errorf("the body sent for GET /healthz is a copy; want the core's shared bytes")
	}
	if string(shared) != before {
		t.Errorf("the shared body changed to %q; want %q", shared, before)
	}
}

// TestNewBehindResponseMiddleware registers Fiber's etag and compress
// middleware before New: they see every probe answer and rewrite what is
// sent, but the core's shared body stays as it was.
func TestNewBehindResponseMiddleware(t *testing.T) {
	t.Parallel()
	h := benchkit.Health(t, 20) // a /readyz body long enough to be compressed
	body := string(probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/readyz"}).Body())
	tests := []struct {
		name       string
		mw         fiber.Handler
		header     []string
		wantCode   int
		wantHeader string // a header the middleware sets on the answer
	}{
		{"etag", etag.New(), nil, 200, "ETag"},
		{"compress", compress.New(compress.Config{Level: compress.LevelBestSpeed}), []string{"Accept-Encoding", "gzip"}, 200, "Content-Encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := fiber.New()
			app.Use(tt.mw, fiberv3probe.New(h))
			for range 2 {
				got := do(t, app, "GET", "/readyz", tt.header...)
				if got.code != tt.wantCode || got.header.Get(tt.wantHeader) == "" {
					t.Errorf("GET /readyz = %d, %s %q; want %d with a %s", got.code, tt.wantHeader, got.header.Get(tt.wantHeader), tt.wantCode, tt.wantHeader)
				}
			}
			if got := string(probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/readyz"}).Body()); got != body {
				t.Errorf("the shared body changed to %q; want %q", got, body)
			}
		})
	}
}

func TestNewNext(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	app := fiber.New()
	app.Use(fiberv3probe.New(h, fiberv3probe.Config{Next: func(c fiber.Ctx) bool { return c.Get("X-Skip") != "" }}))
	app.Use(func(c fiber.Ctx) error { return c.SendStatus(fiber.StatusTeapot) })
	tests := []struct {
		header   []string
		wantCode int
	}{
		{nil, 200},
		{[]string{"X-Skip", "1"}, fiber.StatusTeapot},
	}
	for _, tt := range tests {
		if got := do(t, app, "GET", "/healthz", tt.header...); got.code != tt.wantCode {
			t.Errorf("GET /healthz %v = %d; want %d", tt.header, got.code, tt.wantCode)
		}
	}
}

// TestNilArguments checks that every function refuses a nil argument it
// cannot use at once, with a message that names it, not at the first
// request.
func TestNilArguments(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	tests := []struct {
		name      string
		give      func()
		wantPanic string
	}{
		{"New", func() { fiberv3probe.New(nil) }, "fiberv3probe: New with a nil *core.Health"},
		{"Liveness", func() { fiberv3probe.Liveness(nil) }, "fiberv3probe: Liveness with a nil *core.Health"},
		{"Readiness", func() { fiberv3probe.Readiness(nil) }, "fiberv3probe: Readiness with a nil *core.Health"},
		{"Startup", func() { fiberv3probe.Startup(nil) }, "fiberv3probe: Startup with a nil *core.Health"},
		{"Skipper", func() { fiberv3probe.Skipper(nil) }, "fiberv3probe: Skipper with a nil *core.Health"},
		{"IsProbe", func() { fiberv3probe.IsProbe(nil, nil) }, "fiberv3probe: IsProbe with a nil *core.Health"},
		{"DrainOnShutdown", func() { fiberv3probe.DrainOnShutdown(fiber.New(), nil) }, "fiberv3probe: DrainOnShutdown with a nil *core.Health"},
		{"DrainOnShutdown app", func() { fiberv3probe.DrainOnShutdown(nil, h) }, "fiberv3probe: DrainOnShutdown with a nil *fiber.App"},
		{"Server", func() { fiberv3probe.Server(nil) }, "fiberv3probe: Server with a nil *fiber.App"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if got := recover(); got != tt.wantPanic {
					t.Errorf("%s(nil) panicked with %v; want %q", tt.name, got, tt.wantPanic)
				}
			}()
			tt.give()
		})
	}
}

// TestNewNoAllocs checks the promise of the package documentation: a probe
// answer allocates nothing, and neither does a request passed on.
func TestNewNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items, so Fiber's pooled contexts allocate")
	}
	h := testenv.NewHealth(t)
	app := fiber.New()
	app.Use(fiberv3probe.New(h), fiberv3probe.Traffic(trafficcheck.NewRecorder()))
	app.Get("/api/x", func(c fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) })
	app.Get("/internal/ready", fiberv3probe.Readiness(h))
	handler := app.Handler()
	tests := []struct {
		method, target string
	}{
		{"GET", "/healthz"},
		{"HEAD", "/readyz"},
		{"GET", "/readyz?verbose"},
		{"GET", "/readyz/nosuch"},
		{"DELETE", "/readyz"},
		{"GET", "/internal/ready"},
		{"GET", "/api/x"},
	}
	for _, tt := range tests {
		ctx := fastkit.NewRequestCtx(tt.method, tt.target)
		handler(ctx) // warm up pools and buffers
		if n := testing.AllocsPerRun(100, func() {
			ctx.Response.Reset()
			handler(ctx)
		}); n != 0 {
			t.Errorf("%s %s: %v allocations per request; want 0", tt.method, tt.target, n)
		}
	}
}

// TestNewSkipUnmatchedRoutes pins down what the package documentation says
// of fiber.Config{SkipUnmatchedRoutes: true}: Fiber answers a path with no
// route before any middleware runs, so New never sees /healthz; the probe
// handlers mounted on routes answer.
func TestNewSkipUnmatchedRoutes(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	app := fiber.New(fiber.Config{SkipUnmatchedRoutes: true})
	app.Use(fiberv3probe.New(h))
	app.Get("/readyz", fiberv3probe.Readiness(h))
	tests := []struct {
		target   string
		wantCode int
		wantBody string
	}{
		{"/healthz", 404, "Not Found"},
		{"/readyz", 200, "{\"status\":\"ok\"}\n"},
	}
	for _, tt := range tests {
		if got := do(t, app, "GET", tt.target); got.code != tt.wantCode || got.body != tt.wantBody {
			t.Errorf("GET %s = %d %q; want %d %q", tt.target, got.code, got.body, tt.wantCode, tt.wantBody)
		}
	}
}
