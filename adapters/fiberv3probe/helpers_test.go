package fiberv3probe_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/keyauth"

	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/fibertest"
	"github.com/probekit/probekit/internal/testenv"
)

const token = "secret-token"

// auth is Fiber's own key auth middleware set up as the example apps use
// it: a Bearer token, and the contract's 401 answer.
func auth(next func(fiber.Ctx) bool) fiber.Handler {
	return keyauth.New(keyauth.Config{
		Next: next,
		Validator: func(c fiber.Ctx, key string) (bool, error) {
			return key == token, nil
		},
		ErrorHandler: func(c fiber.Ctx, _ error) error {
			return c.Status(fiber.StatusUnauthorized).JSON(fiber.Map{"error": "unauthorized"})
		},
	})
}

// newApp builds the example-shaped app under cfg: the probe line first and
// auth after it, or (authFirst) auth skipping the probes with Skipper, then
// the probe line; then GET /api/whoami.
func newApp(h *core.Health, cfg fiber.Config, authFirst bool) *fiber.App {
	app := fiber.New(cfg)
	if authFirst {
		app.Use(auth(fiberv3probe.Skipper(h)))
		app.Use(fiberv3probe.New(h))
	} else {
		app.Use(fiberv3probe.New(h))
		app.Use(auth(nil))
	}
	app.Get("/api/whoami", func(c fiber.Ctx) error { return c.JSON(fiber.Map{"user": "demo"}) })
	return app
}

// response is what a test reads of an answer.
type response struct {
	code   int
	header http.Header
	body   string
}

// do serves one request through app.Test, which writes r to Fiber's
// fasthttp server as raw HTTP/1.1 (the target as r.URL.RequestURI gives
// it, escapes kept; TestAppTestSendsRawPath checks that) and reads the
// answer back. No timeout: a hung handler fails the test binary's -timeout
// instead of a wall-clock guess.
func do(t *testing.T, app *fiber.App, method, target string, header ...string) response {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	resp, err := app.Test(r, fiber.TestConfig{Timeout: 0})
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

// listener is a Fiber v3 app as fibertest takes it: v3's Listener also
// takes a ListenConfig, given here with the startup banner off.
type listener struct {
	*fiber.App
	cfg fiber.ListenConfig
}

func (l listener) Listener(ln net.Listener) error {
	l.cfg.DisableStartupMessage = true
	return l.App.Listener(ln, l.cfg)
}

// quiet readies a Fiber app for goleak and fibertest: no Date-header
// goroutine (fasthttp never stops it), a worker pool that exits soon after
// Shutdown, and cfg for its Listener.
func quiet(app *fiber.App, cfg ...fiber.ListenConfig) listener {
	app.Server().NoDefaultDate = true
	app.Server().MaxIdleWorkerDuration = 10 * time.Millisecond
	l := listener{App: app}
	if len(cfg) > 0 {
		l.cfg = cfg[0]
	}
	return l
}

// serve runs app on a loopback listener until the test ends and returns
// its address.
func serve(t *testing.T, app *fiber.App) string {
	t.Helper()
	return fibertest.Serve(t, quiet(app))
}

// readiness returns h's readiness status code, read from the core.
func readiness(h *core.Health) int {
	return probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/readyz"}).StatusCode()
}
