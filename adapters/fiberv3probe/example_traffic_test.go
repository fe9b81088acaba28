package fiberv3probe_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v3"
	fiberrecover "github.com/gofiber/fiber/v3/middleware/recover"

	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
)

func ExampleTraffic() {
	rec := trafficcheck.NewRecorder()
	h := core.MustNew(core.WithLogger(nil), core.WithCheck("traffic", trafficcheck.MustNew(rec)))
	defer h.Close()

	app := fiber.New()
	app.Use(fiberv3probe.New(h), fiberv3probe.Traffic(rec)) // probes are answered before Traffic
	app.Use(fiberrecover.New())
	app.Get("/api/ok", func(c fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/api/broken", func(fiber.Ctx) error { return errors.New("database unreachable") })
	app.Get("/api/busy", func(fiber.Ctx) error { return fiber.ErrServiceUnavailable })
	app.Get("/api/panic", func(fiber.Ctx) error { panic("nil map") })

	for _, path := range []string{"/healthz", "/api/ok", "/api/ok", "/api/broken", "/api/busy", "/api/panic", "/api/missing"} {
		fmt.Println(path, status(app, path))
	}
	st := rec.Stats(time.Minute, 99)
	fmt.Printf("%d requests, %d failed, success rate %.2f\n", st.Requests, st.Failures, st.SuccessRate())
	// Output:
	// /healthz 200
	// /api/ok 200
	// /api/ok 200
	// /api/broken 500
	// /api/busy 503
	// /api/panic 500
	// /api/missing 404
	// 6 requests, 3 failed, success rate 0.50
}

func ExampleTrafficWithConfig() {
	rec := trafficcheck.NewRecorder()
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	app := fiber.New()
	// Traffic before the probes: it must skip them itself.
	app.Use(fiberv3probe.TrafficWithConfig(fiberv3probe.TrafficConfig{Next: fiberv3probe.Skipper(h), Recorder: rec}))
	app.Use(fiberv3probe.New(h))
	app.Get("/api/ok", func(c fiber.Ctx) error { return c.SendString("ok") })

	for _, path := range []string{"/healthz", "/readyz", "/api/ok"} {
		status(app, path)
	}
	fmt.Println(rec.Stats(time.Minute, 99).Requests, "request recorded")
	// Output:
	// 1 request recorded
}
