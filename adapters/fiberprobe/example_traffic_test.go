package fiberprobe_test

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/gofiber/fiber/v2"
	fiberrecover "github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
)

func ExampleTraffic() {
	rec := trafficcheck.NewRecorder()
	h := core.MustNew(core.WithLogger(nil), core.WithCheck("traffic", trafficcheck.MustNew(rec)))
	defer h.Close()

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(fiberprobe.New(h), fiberprobe.Traffic(rec)) // probes are answered before Traffic
	app.Use(fiberrecover.New())
	app.Get("/api/ok", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/api/broken", func(c *fiber.Ctx) error { return errors.New("database unreachable") })
	app.Get("/api/busy", func(c *fiber.Ctx) error { return fiber.ErrServiceUnavailable })

	for _, path := range []string{"/healthz", "/api/ok", "/api/ok", "/api/broken", "/api/busy", "/api/missing"} {
		resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
		fmt.Println(path, resp.StatusCode)
	}
	st := rec.Stats(time.Minute, 99)
	fmt.Printf("%d requests, %d failed, success rate %.2f\n", st.Requests, st.Failures, st.SuccessRate())
	// Output:
	// /healthz 200
	// /api/ok 200
	// /api/ok 200
	// /api/broken 500
	// /api/busy 503
	// /api/missing 404
	// 5 requests, 2 failed, success rate 0.60
}

func ExampleTrafficWithConfig() {
	rec := trafficcheck.NewRecorder()
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	// Traffic before the probes: it must skip them itself.
	app.Use(fiberprobe.TrafficWithConfig(fiberprobe.TrafficConfig{Next: fiberprobe.Skipper(h), Recorder: rec}))
	app.Use(fiberprobe.New(h))
	app.Get("/api/ok", func(c *fiber.Ctx) error { return c.SendString("ok") })

	for _, path := range []string{"/healthz", "/readyz", "/api/ok"} {
		resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
	}
	fmt.Println(rec.Stats(time.Minute, 99).Requests, "request recorded")
	// Output:
	// 1 request recorded
}
