package fiberv3probe_test

import (
	"testing"

	"github.com/gofiber/fiber/v3"

	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/internal/testenv"
)

// TestSkipperWithKeyAuth registers Fiber v3's keyauth middleware first,
// with Next: fiberv3probe.Skipper(h), then the probe line: probes need no
// key, everything else does.
func TestSkipperWithKeyAuth(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	app := newApp(h, fiber.Config{}, true)
	tests := []struct {
		target   string
		header   []string
		wantCode int
		wantBody string
	}{
		{"/healthz", nil, 200, "{\"status\":\"ok\"}\n"},
		{"/readyz", nil, 200, "{\"status\":\"ok\"}\n"},
		{"/readyz/nosuch", nil, 404, "{\"error\":\"unknown check\"}\n"},
		{"/api/whoami", nil, 401, `{"error":"unauthorized"}`},
		{"/api/whoami", []string{"Authorization", "Bearer wrong"}, 401, `{"error":"unauthorized"}`},
		{"/api/whoami", []string{"Authorization", "Bearer " + token}, 200, `{"user":"demo"}`},
		{"/healthz/../api/whoami", nil, 401, `{"error":"unauthorized"}`},
		{"/HEALTHZ", nil, 401, `{"error":"unauthorized"}`},
	}
	for _, tt := range tests {
		got := do(t, app, "GET", tt.target, tt.header...)
		if got.code != tt.wantCode || got.body != tt.wantBody {
			t.Errorf("GET %s = %d %q; want %d %q", tt.target, got.code, got.body, tt.wantCode, tt.wantBody)
		}
	}
}

func TestIsProbe(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	type isProbeCase struct {
		target string
		want   bool
	}
	tests := []isProbeCase{
		{"/healthz", true},
		{"/livez", true},
		{"/readyz", true},
		{"/readyz?verbose", true},
		{"/readyz/anything", true}, // answered: 404 unknown check
		{"/startupz", true},
		{"/", false},
		{"/api/whoami", false},
	}
	for _, target := range confusing {
		tests = append(tests, isProbeCase{target, false})
	}
	for _, cfg := range configs() {
		app := fiber.New(cfg)
		var got bool
		app.Use(func(c fiber.Ctx) error {
			got = fiberv3probe.IsProbe(h, c)
			return c.SendStatus(fiber.StatusNoContent)
		})
		for _, tt := range tests {
			do(t, app, "GET", tt.target)
			if got != tt.want {
				t.Errorf("%s: IsProbe(GET %s) = %v; want %v", configName(cfg), tt.target, got, tt.want)
			}
		}
	}
}
