package fiberprobe_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/probekit/probekit/adapters/fiberprobe/internal/fastkit"
	"github.com/probekit/probekit/internal/testenv"

	"github.com/gofiber/fiber/v2"

	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/core/probehttp"
)

func TestNew(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	var reached []string
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(fiberprobe.New(h))
	app.Use(func(c *fiber.Ctx) error {
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
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(fiberprobe.New(h))
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
		{"DELETE", "/healthz", nil, 405, map[string]string{"Allow": "GET, HEAD", "Cache-Control": "no-store"}, "{\"error\":\"method not allowed\"}\n"},
		{"GET", "/readyz/nosuch", nil, 404, map[string]string{"Cache-Control": "no-store"}, "{\"error\":\"unknown check\"}\n"},
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
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(fiberprobe.New(h))
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

func TestNewNext(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(fiberprobe.New(h, fiberprobe.Config{Next: func(c *fiber.Ctx) bool { return c.Get("X-Skip") != "" }}))
	app.Use(func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusTeapot) })
	if got := do(t, app, "GET", "/healthz"); got.code != 200 {
		t.Errorf("GET /healthz = %d; want 200", got.code)
	}
	if got := do(t, app, "GET", "/healthz", "X-Skip", "1"); got.code != fiber.StatusTeapot {
		t.Errorf("GET /healthz with Next true = %d; want %d from the app", got.code, fiber.StatusTeapot)
	}
}

// TestNewNoAllocs checks the promise of the package documentation: a probe
// answer allocates nothing, and neither does a request passed on.
func TestNewNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items, so Fiber's pooled contexts allocate")
	}
	h := testenv.NewHealth(t)
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(fiberprobe.New(h))
	app.Get("/api/x", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) })
	handler := app.Handler()
	for _, target := range []string{"/healthz", "/readyz?verbose", "/readyz/nosuch", "/api/x"} {
		ctx := fastkit.NewRequestCtx("GET", target)
		handler(ctx) // warm up pools and buffers
		if n := testing.AllocsPerRun(100, func() {
			ctx.Response.Reset()
			handler(ctx)
		}); n != 0 {
			t.Errorf("GET %s: %v allocations per request; want 0", target, n)
		}
	}
}

// TestNewWithETag pins down what the package documentation says of
// fiber.Config{ETag: true}: Fiber tags every 200 answer after the handlers
// have run, probe answers included, and answers 304 to a matching
// If-None-Match. The shared body is left as it was.
func TestNewWithETag(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	app := fiber.New(fiber.Config{DisableStartupMessage: true, ETag: true})
	app.Use(fiberprobe.New(h))
	body := string(probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/healthz"}).Body())
	got := do(t, app, "GET", "/healthz")
	etag := got.header.Get("ETag")
	if got.code != 200 || got.body != body || etag == "" {
		t.Fatalf("GET /healthz = %d %q ETag %q; want 200 %q with an ETag", got.code, got.body, etag, body)
	}
	if got := do(t, app, "GET", "/healthz", "If-None-Match", etag); got.code != fiber.StatusNotModified {
		t.Errorf("GET /healthz If-None-Match: %s = %d; want 304", etag, got.code)
	}
	if got := string(probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/healthz"}).Body()); got != body {
		t.Errorf("the shared body changed to %q; want %q", got, body)
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
		{"New", func() { fiberprobe.New(nil) }, "fiberprobe: New with a nil *core.Health"},
		{"Liveness", func() { fiberprobe.Liveness(nil) }, "fiberprobe: Liveness with a nil *core.Health"},
		{"Readiness", func() { fiberprobe.Readiness(nil) }, "fiberprobe: Readiness with a nil *core.Health"},
		{"Startup", func() { fiberprobe.Startup(nil) }, "fiberprobe: Startup with a nil *core.Health"},
		{"Skipper", func() { fiberprobe.Skipper(nil) }, "fiberprobe: Skipper with a nil *core.Health"},
		{"IsProbe", func() { fiberprobe.IsProbe(nil, nil) }, "fiberprobe: IsProbe with a nil *core.Health"},
		{"DrainOnShutdown", func() { fiberprobe.DrainOnShutdown(fiber.New(), nil) }, "fiberprobe: DrainOnShutdown with a nil *core.Health"},
		{"DrainOnShutdown app", func() { fiberprobe.DrainOnShutdown(nil, h) }, "fiberprobe: DrainOnShutdown with a nil *fiber.App"},
		{"Server", func() { fiberprobe.Server(nil) }, "fiberprobe: Server with a nil *fiber.App"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if got := recover(); got != tt.wantPanic {
					t.Errorf("%s(nil) panicked with %v; want %q", tt.name, got, tt.wantPanic)
				}
			}()
			tt.give()
		})
	}
}
