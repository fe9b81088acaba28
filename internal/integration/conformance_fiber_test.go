package integration_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/keyauth"

	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/core"
)

// buildFiber builds the Fiber app: the probe line first, then Fiber's
// keyauth middleware, then the DB-connect middleware, then GET /api/whoami;
// with authFirst, keyauth comes first and skips the probes with
// fiberprobe.Skipper. Requests go through app.Test, which writes them to
// Fiber's fasthttp server as raw HTTP/1.1 with the target verbatim
// (adapters/fiberprobe's TestAppTestSendsRawPath checks that).
func buildFiber(authFirst bool) func(*testing.T, *core.Health, *appDeps) func(*http.Request) *http.Response {
	return func(t *testing.T, h *core.Health, deps *appDeps) func(*http.Request) *http.Response {
		app := fiber.New(fiber.Config{DisableStartupMessage: true})
		// fasthttp refreshes the Date header from a goroutine that it starts
		// on its first response and never stops; this package's TestMain
		// runs goleak without options, so these apps send no Date header.
		app.Server().NoDefaultDate = true
		if authFirst {
			app.Use(fiberAuth(fiberprobe.Skipper(h)))
			app.Use(fiberprobe.New(h))
		} else {
			app.Use(fiberprobe.New(h))
			app.Use(fiberAuth(nil))
		}
		app.Use(fiberWithDB(deps))
		app.Get("/api/whoami", func(c *fiber.Ctx) error {
			c.Response().Header.SetContentType(fiber.MIMEApplicationJSON)
			return c.SendString(`{"user":"demo"}`)
		})
		return func(r *http.Request) *http.Response {
			resp, err := app.Test(r, -1) // no timeout: a hang fails go test's -timeout
			if err != nil {
				t.Errorf("app.Test(%s %s): %v", r.Method, r.RequestURI, err)
				return &http.Response{Header: http.Header{}, Body: http.NoBody}
			}
			return resp
		}
	}
}

// fiberAuth is Fiber's keyauth middleware requiring the Bearer token, with
// next as its Next and the contract's 401 answer.
func fiberAuth(next func(*fiber.Ctx) bool) fiber.Handler {
	return keyauth.New(keyauth.Config{
		Next: next,
		// keyauth has cut "Bearer" off the header without checking the
		// separator; compare the whole header, as requireBearer does.
		Validator: func(c *fiber.Ctx, _ string) (bool, error) {
			return c.Get(fiber.HeaderAuthorization) == "Bearer "+apiToken, nil
		},
		ErrorHandler: func(c *fiber.Ctx, _ error) error {
			return c.Status(fiber.StatusUnauthorized).JSON(fiber.Map{"error": "unauthorized"})
		},
	})
}

func fiberWithDB(deps *appDeps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if deps.dbDown.Load() {
			return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"error": "database unavailable"})
		}
		return c.Next()
	}
}

// quiet readies a Fiber app for goleak: no Date-header goroutine (fasthttp
// never stops it) and a worker pool that exits soon after Shutdown.
func quiet(app *fiber.App) *fiber.App {
	app.Server().NoDefaultDate = true
	app.Server().MaxIdleWorkerDuration = 10 * time.Millisecond
	return app
}
