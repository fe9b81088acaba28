package fiberprobe_test

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/keyauth"

	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

func get(app *fiber.App, path string) {
	resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(path, resp.StatusCode, strings.TrimSuffix(string(b), "\n"))
}

func validate(c *fiber.Ctx, _ string) (bool, error) {
	return c.Get(fiber.HeaderAuthorization) == "Bearer secret-token", nil
}

func ExampleNew() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(fiberprobe.New(h)) // the one line: probes are answered before auth runs
	app.Use(keyauth.New(keyauth.Config{Validator: validate}))
	app.Get("/api/whoami", func(c *fiber.Ctx) error { return c.SendString("demo") })

	for _, path := range []string{"/healthz", "/readyz", "/api/whoami", "/healthz/../api/whoami", "/HEALTHZ"} {
		get(app, path)
	}
	// Output:
	// /healthz 200 {"status":"ok"}
	// /readyz 200 {"status":"ok"}
	// /api/whoami 401 missing or malformed API Key
	// /healthz/../api/whoami 401 missing or malformed API Key
	// /HEALTHZ 401 missing or malformed API Key
}

func ExampleSkipper() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	// Auth must come first in this app: it lets exactly the probes through.
	app.Use(keyauth.New(keyauth.Config{Next: fiberprobe.Skipper(h), Validator: validate}))
	app.Use(fiberprobe.New(h))
	app.Get("/api/whoami", func(c *fiber.Ctx) error { return c.SendString("demo") })

	for _, path := range []string{"/readyz", "/api/whoami", "/readyz/../api/whoami"} {
		get(app, path)
	}
	// Output:
	// /readyz 200 {"status":"ok"}
	// /api/whoami 401 missing or malformed API Key
	// /readyz/../api/whoami 401 missing or malformed API Key
}

// Liveness on a route of the app's own stays 200 while the app drains:
// Kubernetes must not restart a pod that is shutting down.
func ExampleLiveness() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/internal/alive", fiberprobe.Liveness(h)) // GET and HEAD

	h.Drain()
	get(app, "/internal/alive")
	// Output:
	// /internal/alive 200 {"status":"ok"}
}

func ExampleReadiness() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	// One probe at a path of the app's own, for GET and HEAD.
	app.Get("/internal/ready", fiberprobe.Readiness(h))

	get(app, "/internal/ready")
	h.Drain()
	get(app, "/internal/ready")
	// Output:
	// /internal/ready 200 {"status":"ok"}
	// /internal/ready 503 {"status":"draining"}
}

// The startup probe answers 503 until every startup check has passed once;
// here the checks have not started.
func ExampleStartup() {
	migrated := core.CheckerFunc(func(context.Context) error { return nil })
	h := core.MustNew(core.WithLogger(nil), core.WithCheck("migrations", migrated, core.ForProbes(core.Startup)))
	defer h.Close()

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/internal/started", fiberprobe.Startup(h))

	get(app, "/internal/started")
	// Output:
	// /internal/started 503 {"status":"starting","checks":{"migrations":{"status":"starting","failures":0}}}
}

func ExampleServer() {
	h := core.MustNew(core.WithLogger(nil), core.WithDrainDelay(0))
	defer h.Close()
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(fiberprobe.New(h))

	// In main, with the app serving (go app.Listener(ln)), on SIGTERM:
	err := h.DrainAndShutdown(context.Background(), fiberprobe.Server(app))
	fmt.Println("shutdown:", err)
	get(app, "/readyz")
	get(app, "/healthz")
	// Output:
	// shutdown: <nil>
	// /readyz 503 {"status":"draining"}
	// /healthz 200 {"status":"ok"}
}

func ExampleDrainOnShutdown() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(fiberprobe.New(h))
	fiberprobe.DrainOnShutdown(app, h)

	_ = app.Shutdown() // whoever shuts the app down; the hook runs after it
	fmt.Println(probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/readyz"}).StatusCode())
	// Output:
	// 503
}
