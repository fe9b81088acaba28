package fiberv3probe_test

import (
	"testing"

	"github.com/gofiber/fiber/v3"

	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/internal/testenv"
	"github.com/probekit/probekit/internal/traffictest"
)

// tenantCtx is an app's own context, as fiber.NewWithCustomCtx takes it.
type tenantCtx struct {
	*fiber.DefaultCtx
}

// Tenant is a method the app's handlers reach by asserting their context.
func (c *tenantCtx) Tenant() string { return c.Get("X-Tenant", "none") }

// TestCustomCtx runs the same app built with fiber.New and with
// fiber.NewWithCustomCtx: New, Skipper, the probe handlers and Traffic
// answer and record alike, and the app's handlers still get its context.
func TestCustomCtx(t *testing.T) {
	t.Parallel()
	builders := []struct {
		name string
		new  func() *fiber.App
	}{
		{"default", func() *fiber.App { return fiber.New() }},
		{"custom", func() *fiber.App {
			return fiber.NewWithCustomCtx(func(app *fiber.App) fiber.CustomCtx { return &tenantCtx{fiber.NewDefaultCtx(app)} })
		}},
	}
	for _, b := range builders {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			h := testenv.NewHealth(t)
			spy := traffictest.NewSpy()
			app := b.new()
			app.Use(auth(fiberv3probe.Skipper(h)))
			app.Use(fiberv3probe.New(h), fiberv3probe.Traffic(spy.Recorder))
			app.Get("/api/tenant", func(c fiber.Ctx) error {
				if tc, ok := c.(*tenantCtx); ok {
					return c.SendString(tc.Tenant())
				}
				return c.SendString("default ctx")
			})
			app.Get("/internal/ready", fiberv3probe.Readiness(h))
			wantTenant := map[string]string{"default": "default ctx", "custom": "acme"}[b.name]
			tests := []struct {
				target   string
				header   []string
				wantCode int
				wantBody string
			}{
				{"/healthz", nil, 200, "{\"status\":\"ok\"}\n"},
				{"/readyz/nosuch", nil, 404, "{\"error\":\"unknown check\"}\n"},
				{"/healthz/", nil, 401, `{"error":"unauthorized"}`},
				{"/api/tenant", nil, 401, `{"error":"unauthorized"}`},
				{"/api/tenant", []string{"Authorization", "Bearer " + token, "X-Tenant", "acme"}, 200, wantTenant},
				{"/internal/ready", []string{"Authorization", "Bearer " + token}, 200, "{\"status\":\"ok\"}\n"},
			}
			for _, tt := range tests {
				got := do(t, app, "GET", tt.target, tt.header...)
				if got.code != tt.wantCode || got.body != tt.wantBody {
					t.Errorf("GET %s = %d %q; want %d %q", tt.target, got.code, got.body, tt.wantCode, tt.wantBody)
				}
			}
			// Answered probes never reach Traffic; the rest are recorded.
			spy.Want(t, 200, 200)
		})
	}
}
