package fiberv3probe_test

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/keyauth"

	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/core"
)

// get serves GET path through app.Test, with no timeout, and prints the
// status and the body.
func get(app *fiber.App, path string) {
	resp, err := app.Test(httptest.NewRequest("GET", path, nil), fiber.TestConfig{Timeout: 0})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(path, resp.StatusCode, strings.TrimSuffix(string(b), "\n"))
}

// status serves GET path through app.Test, with no timeout, and returns the
// status code (0 on a failure, printed).
func status(app *fiber.App, path string) int {
	resp, err := app.Test(httptest.NewRequest("GET", path, nil), fiber.TestConfig{Timeout: 0})
	if err != nil {
		fmt.Println(err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func validate(_ fiber.Ctx, key string) (bool, error) {
	return key == "secret-token", nil
}

func ExampleNew() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	app := fiber.New()
	app.Use(fiberv3probe.New(h)) // the one line: probes are answered before auth runs
	app.Use(keyauth.New(keyauth.Config{Validator: validate}))
	app.Get("/api/whoami", func(c fiber.Ctx) error { return c.SendString("demo") })

	for _, path := range []string{"/healthz", "/readyz", "/api/whoami", "/healthz/../api/whoami", "/HEALTHZ"} {
		get(app, path)
	}
	// Output:
	// /healthz 200 {"status":"ok"}
	// /readyz 200 {"status":"ok"}
	// /api/whoami 401 missing or invalid API Key
	// /healthz/../api/whoami 401 missing or invalid API Key
	// /HEALTHZ 401 missing or invalid API Key
}

func ExampleSkipper() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	app := fiber.New()
	// Auth must come first in this app: it lets exactly the probes through.
	app.Use(keyauth.New(keyauth.Config{Next: fiberv3probe.Skipper(h), Validator: validate}))
	app.Use(fiberv3probe.New(h))
	app.Get("/api/whoami", func(c fiber.Ctx) error { return c.SendString("demo") })

	for _, path := range []string{"/readyz", "/api/whoami", "/readyz/../api/whoami"} {
		get(app, path)
	}
	// Output:
	// /readyz 200 {"status":"ok"}
	// /api/whoami 401 missing or invalid API Key
	// /readyz/../api/whoami 401 missing or invalid API Key
}

func ExampleReadiness() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	app := fiber.New()
	// One probe at a path of the app's own, for GET and HEAD.
	app.Get("/internal/ready", fiberv3probe.Readiness(h))
	app.Get("/internal/alive", fiberv3probe.Liveness(h))

	get(app, "/internal/ready")
	get(app, "/internal/alive")
	h.Drain()
	get(app, "/internal/ready")
	get(app, "/internal/alive")
	// Output:
	// /internal/ready 200 {"status":"ok"}
	// /internal/alive 200 {"status":"ok"}
	// /internal/ready 503 {"status":"draining"}
	// /internal/alive 200 {"status":"ok"}
}

func ExampleServer() {
	h := core.MustNew(core.WithLogger(nil), core.WithDrainDelay(0))
	defer h.Close()
	app := fiber.New()
	app.Use(fiberv3probe.New(h))

	// In main, with the app serving (go app.Listener(ln)), on SIGTERM:
	err := h.DrainAndShutdown(context.Background(), fiberv3probe.Server(app))
	fmt.Println("shutdown:", err)
	get(app, "/readyz")
	get(app, "/healthz")
	// Output:
	// shutdown: <nil>
	// /readyz 503 {"status":"draining"}
	// /healthz 200 {"status":"ok"}
}

func ExampleDrainOnShutdown() {
	h := core.MustNew(core.WithLogger(nil), core.WithDrainDelay(0)) // default delay: 5s
	defer h.Close()
	app := fiber.New()
	app.Use(fiberv3probe.New(h))
	fiberv3probe.DrainOnShutdown(app, h)
	app.Hooks().OnPreShutdown(func() error {
		// Runs after DrainOnShutdown's hook: drained, and still serving.
		get(app, "/readyz")
		return nil
	})

	// Whoever shuts the app down: app.Shutdown, or the end of
	// fiber.ListenConfig{GracefulContext: ctx}.
	fmt.Println("shutdown:", app.Shutdown())
	// Output:
	// /readyz 503 {"status":"draining"}
	// shutdown: <nil>
}
