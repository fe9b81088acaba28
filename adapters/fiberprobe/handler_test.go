package fiberprobe_test

import (
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/adapters/fiberprobe/internal/fastkit"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/benchkit"
	"github.com/probekit/probekit/internal/testenv"
)

// TestProbeHandlers mounts Liveness, Readiness and Startup at routes of the
// app's own, behind auth that skips only those routes: each answers its
// probe whatever the route's path, in every format, and nothing else.
func TestProbeHandlers(t *testing.T) {
	t.Parallel()
	h := testenv.Unhealthy(t)
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(auth(func(c *fiber.Ctx) bool {
		return c.Path() == "/internal/alive" || c.Path() == "/internal/ready" || c.Path() == "/internal/started"
	}))
	app.Get("/internal/alive", fiberprobe.Liveness(h))
	app.Get("/internal/ready", fiberprobe.Readiness(h))
	app.Get("/internal/started", fiberprobe.Startup(h))
	app.Post("/internal/ready", fiberprobe.Readiness(h))
	app.Get("/api/ready", fiberprobe.Readiness(h))
	tests := []struct {
		method, target string
		header         []string
		wantCode       int
		wantCT         string
		wantBody       string // exact, when set (HEAD: always empty)
	}{
		{"GET", "/internal/alive", nil, 200, "application/json", `{"status":"ok"}` + "\n"},
		{"HEAD", "/internal/alive", nil, 200, "application/json", ""},
		{"GET", "/internal/ready", nil, 503, "application/json", ""},
		{"GET", "/internal/ready?verbose", nil, 503, "text/plain; charset=utf-8", "[+]redis ok\n[-]db failed: reason withheld\nreadiness check failed\n"},
		{"GET", "/internal/ready?exclude=db", nil, 200, "application/json", ""},
		{"GET", "/internal/ready", []string{"Accept", "application/health+json"}, 503, "application/health+json", ""},
		{"HEAD", "/internal/ready", nil, 503, "application/json", ""},
		{"POST", "/internal/ready", nil, 405, "application/json", `{"error":"method not allowed"}` + "\n"},
		{"GET", "/internal/started", nil, 200, "application/json", `{"status":"ok"}` + "\n"},
		{"GET", "/api/ready", nil, 401, "application/json", `{"error":"unauthorized"}`}, // behind the app's auth
		{"GET", "/healthz", nil, 401, "application/json", `{"error":"unauthorized"}`},   // no New: /healthz is the app's
	}
	for _, tt := range tests {
		got := do(t, app, tt.method, tt.target, tt.header...)
		if got.code != tt.wantCode || got.header.Get("Content-Type") != tt.wantCT ||
			(tt.wantBody != "" || tt.method == "HEAD") && testenv.StripInfo(got.body) != tt.wantBody {
			t.Errorf("%s %s = %d %s %q; want %d %s %q", tt.method, tt.target, got.code, got.header.Get("Content-Type"), got.body, tt.wantCode, tt.wantCT, tt.wantBody)
		}
		if want := map[bool]string{true: probehttp.CacheControl}[tt.wantCode != 401]; got.header.Get("Cache-Control") != want {
			t.Errorf("%s %s: Cache-Control = %q; want %q", tt.method, tt.target, got.header.Get("Cache-Control"), want)
		}
		if want := map[bool]string{true: "GET, HEAD"}[tt.wantCode == 405]; got.header.Get("Allow") != want {
			t.Errorf("%s %s: Allow = %q; want %q", tt.method, tt.target, got.header.Get("Allow"), want)
		}
	}
}

// TestProbeHandlersNoAllocs checks that a probe mounted on a route
// allocates nothing, in each format and for a method it refuses.
func TestProbeHandlersNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items, so Fiber's pooled contexts allocate")
	}
	h := benchkit.Health(t, 5)
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/internal/alive", fiberprobe.Liveness(h))
	app.Get("/internal/ready", fiberprobe.Readiness(h))
	app.Post("/internal/ready", fiberprobe.Readiness(h))
	app.Get("/internal/started", fiberprobe.Startup(h))
	handler := app.Handler()
	tests := []struct{ method, target string }{
		{"GET", "/internal/alive"},
		{"GET", "/internal/ready"},
		{"HEAD", "/internal/ready"},
		{"GET", "/internal/ready?verbose"},
		{"POST", "/internal/ready"},
		{"GET", "/internal/started"},
	}
	for _, tt := range tests {
		ctx := fastkit.NewRequestCtx(tt.method, tt.target)
		handler(ctx) // warm up pools, buffers and the format
		if n := testing.AllocsPerRun(100, func() {
			ctx.Response.Reset()
			handler(ctx)
		}); n != 0 {
			t.Errorf("%s %s: %v allocations per request; want 0", tt.method, tt.target, n)
		}
	}
}
