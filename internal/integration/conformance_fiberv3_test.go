package integration_test

import (
	"net/http"
	"testing"

	fiber "github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/keyauth"

	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/core"
)

// buildFiberV3 builds the Fiber v3 app under cfg: the probe line first,
// then Fiber v3's keyauth, then the DB-connect middleware, then GET
// /api/whoami; with authFirst, keyauth comes first and skips the probes
// with fiberv3probe.Skipper. Requests go through app.Test, which writes
// them to Fiber's server as raw HTTP/1.1 with the target verbatim.
func buildFiberV3(cfg fiber.Config, authFirst bool) func(*testing.T, *core.Health, *appDeps) func(*http.Request) *http.Response {
	return func(t *testing.T, h *core.Health, deps *appDeps) func(*http.Request) *http.Response {
		app := fiber.New(cfg)
		app.Server().NoDefaultDate = true // goleak: fasthttp never stops its Date goroutine
		if authFirst {
			app.Use(fiberV3Auth(fiberv3probe.Skipper(h)))
			app.Use(fiberv3probe.New(h))
		} else {
			app.Use(fiberv3probe.New(h))
			app.Use(fiberV3Auth(nil))
		}
		app.Use(func(c fiber.Ctx) error {
			if deps.dbDown.Load() {
				return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"error": "database unavailable"})
			}
			return c.Next()
		})
		app.Get("/api/whoami", func(c fiber.Ctx) error {
			c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
			return c.SendString(`{"user":"demo"}`)
		})
		return func(r *http.Request) *http.Response {
			resp, err := app.Test(r, fiber.TestConfig{Timeout: 0}) // no timeout: a hang fails go test's -timeout
			if err != nil {
				t.Errorf("app.Test(%s %s): %v", r.Method, r.RequestURI, err)
				return &http.Response{Header: http.Header{}, Body: http.NoBody}
			}
			return resp
		}
	}
}

// fiberV3Auth is Fiber v3's keyauth requiring the Bearer token, with next
// as its Next and the contract's 401 answer.
func fiberV3Auth(next func(fiber.Ctx) bool) fiber.Handler {
	return keyauth.New(keyauth.Config{
		Next: next,
		Validator: func(_ fiber.Ctx, key string) (bool, error) {
			return key == apiToken, nil
		},
		ErrorHandler: func(c fiber.Ctx, _ error) error {
			return c.Status(fiber.StatusUnauthorized).JSON(fiber.Map{"error": "unauthorized"})
		},
	})
}
