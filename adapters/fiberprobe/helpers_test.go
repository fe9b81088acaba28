package fiberprobe_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/keyauth"

	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

const token = "secret-token"

// auth is Fiber's own key auth middleware set up as the example apps use
// it: a Bearer token, and the contract's 401 answer.
func auth(next func(*fiber.Ctx) bool) fiber.Handler {
	return keyauth.New(keyauth.Config{
		Next: next,
		Validator: func(c *fiber.Ctx, _ string) (bool, error) {
			return c.Get(fiber.HeaderAuthorization) == "Bearer "+token, nil
		},
		ErrorHandler: func(c *fiber.Ctx, _ error) error {
			return c.Status(fiber.StatusUnauthorized).JSON(fiber.Map{"error": "unauthorized"})
		},
	})
}

// newApp builds the example-shaped app under cfg: the probe line first and
// auth after it, or (authFirst) auth skipping the probes with Skipper, then
// the probe line; then GET /api/whoami.
func newApp(h *core.Health, cfg fiber.Config, authFirst bool) *fiber.App {
	cfg.DisableStartupMessage = true
	app := fiber.New(cfg)
	if authFirst {
		app.Use(auth(fiberprobe.Skipper(h)))
		app.Use(fiberprobe.New(h))
	} else {
		app.Use(fiberprobe.New(h))
		app.Use(auth(nil))
	}
	app.Get("/api/whoami", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"user": "demo"}) })
	return app
}

// response is what a test reads of an answer.
type response struct {
	code   int
	header http.Header
	body   string
}

// do serves one request through app.Test, which writes r to Fiber's
// fasthttp server as raw HTTP/1.1 (r.RequestURI verbatim) and reads the
// answer back. No timeout: a hung handler fails the test binary's -timeout
// instead of a wall-clock guess.
func do(t *testing.T, app *fiber.App, method, target string, header ...string) response {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	resp, err := app.Test(r, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{code: resp.StatusCode, header: resp.Header, body: string(b)}
}

// raw sends one request line as written over a connection of its own
// (testenv.Raw): targets as no client library would send them.
func raw(t *testing.T, addr, method, target string, header ...string) response {
	t.Helper()
	r := testenv.Raw(t, addr, method, target, header...)
	return response{code: r.Code, header: r.Header, body: r.Body}
}

// quiet readies a Fiber app for goleak: no Date-header goroutine (fasthttp
// never stops it) and a worker pool that exits soon after Shutdown.
func quiet(app *fiber.App) *fiber.App {
	app.Server().NoDefaultDate = true
	app.Server().MaxIdleWorkerDuration = 10 * time.Millisecond
	return app
}
