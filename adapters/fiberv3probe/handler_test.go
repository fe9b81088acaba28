package fiberv3probe_test

import (
	"testing"

	"github.com/gofiber/fiber/v3"

	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/internal/testenv"
)

// TestProbeHandlers mounts Liveness, Readiness and Startup at routes of the
// app's own, behind auth that skips only those routes: each answers its
// probe whatever the route's path, in every format, and nothing else.
func TestProbeHandlers(t *testing.T) {
	t.Parallel()
	h := fixture(t, unhealthy)
	app := fiber.New()
	app.Use(auth(func(c fiber.Ctx) bool {
		return c.Path() == "/internal/alive" || c.Path() == "/internal/ready" || c.Path() == "/internal/started"
	}))
	app.Get("/internal/alive", fiberv3probe.Liveness(h))
	app.Get("/internal/ready", fiberv3probe.Readiness(h))
	app.Get("/internal/started", fiberv3probe.Startup(h))
	app.Post("/internal/ready", fiberv3probe.Readiness(h))
	tests := []struct {
		method, target string
		header         []string
		wantCode       int
		wantCT         string
		wantBody       string
	}{
		{"GET", "/internal/alive", nil, 200, "application/json", `{"status":"ok"}` + "\n"},
		{"HEAD", "/internal/alive", nil, 200, "application/json", ""},
		{"GET", "/internal/ready?verbose", nil, 503, "text/plain; charset=utf-8", "[+]redis ok\n[-]db failed: reason withheld\n[+]cache ok\nreadiness check failed\n"},
		{"GET", "/internal/ready?exclude=db", nil, 200, "application/json", ""},
		{"GET", "/internal/ready", []string{"Accept", "application/health+json"}, 503, "application/health+json", ""},
		{"HEAD", "/internal/ready", nil, 503, "application/json", ""},
		{"POST", "/internal/ready", nil, 405, "application/json", `{"error":"method not allowed"}` + "\n"},
		{"GET", "/internal/started", nil, 200, "application/json", `{"status":"ok"}` + "\n"},
		{"GET", "/healthz", nil, 401, "application/json; charset=utf-8", `{"error":"unauthorized"}`}, // no New: /healthz is the app's
	}
	for _, tt := range tests {
		got := do(t, app, tt.method, tt.target, tt.header...)
		if got.code != tt.wantCode || got.header.Get("Content-Type") != tt.wantCT ||
			(tt.wantBody != "" || tt.method == "HEAD") && testenv.StripInfo(got.body) != tt.wantBody {
			t.Errorf("%s %s = %d %s %q; want %d %s %q", tt.method, tt.target, got.code, got.header.Get("Content-Type"), got.body, tt.wantCode, tt.wantCT, tt.wantBody)
		}
		if tt.wantCode != 401 && got.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s: Cache-Control %q; want no-store", tt.method, tt.target, got.header.Get("Cache-Control"))
		}
		if want := map[bool]string{true: "GET, HEAD"}[tt.wantCode == 405]; got.header.Get("Allow") != want {
			t.Errorf("%s %s: Allow %q; want %q", tt.method, tt.target, got.header.Get("Allow"), want)
		}
	}
}
