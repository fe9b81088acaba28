package faultmatrix

import (
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	fiber "github.com/gofiber/fiber/v2"
	fiber3 "github.com/gofiber/fiber/v3"
	"github.com/labstack/echo/v4"
	echo5 "github.com/labstack/echo/v5"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/fibertest"
	"github.com/probekit/probekit/internal/testenv"
)

// adapter is one framework adapter serving a row's Health on loopback.
type adapter struct {
	name string
	base string // http://host:port
}

// serveAdapters serves h through every HTTP adapter, each on its own
// listener, so that a row's probes go through all of them in turn. The
// net/http, Gin and Echo handlers are wrapped in timed; the Fiber apps run
// on fasthttp, outside it. close shuts every server down and waits for
// them, so that the row can count its goroutines afterwards.
func serveAdapters(t *testing.T, h *core.Health, timed *timed) (adapters []adapter, close func()) {
	t.Helper()
	var closers []func()
	serve := func(name string, handler http.Handler) {
		srv := testenv.NewServer(t, timed.wrap(handler))
		closers = append(closers, srv.Close)
		adapters = append(adapters, adapter{name: name, base: srv.URL})
	}
	serveFiber := func(name string, app fibertest.App) {
		addr, served := fibertest.Listen(t, app)
		closers = append(closers, func() {
			if err := app.ShutdownWithTimeout(5 * time.Second); err != nil {
				t.Errorf("%s Shutdown: %v", name, err)
			}
			if err := <-served; err != nil {
				t.Errorf("%s Listener: %v", name, err)
			}
		})
		adapters = append(adapters, adapter{name: name, base: "http://" + addr})
	}

	serve("net/http", httpprobe.Wrap(h, http.NotFoundHandler()))

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(ginprobe.Middleware(h))
	serve("gin", r)

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Pre(echoprobe.Middleware(h))
	serve("echo", e)

	e5 := echo5.New()
	e5.Pre(echov5probe.Middleware(h))
	serve("echov5", e5)

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(fiberprobe.New(h))
	app.Server().NoDefaultDate = true
	app.Server().MaxIdleWorkerDuration = 10 * time.Millisecond
	serveFiber("fiber", app)

	app3 := fiber3.New()
	app3.Use(fiberv3probe.New(h))
	app3.Server().NoDefaultDate = true
	app3.Server().MaxIdleWorkerDuration = 10 * time.Millisecond
	serveFiber("fiberv3", fiberV3{app3})

	return adapters, func() {
		for _, c := range closers {
			c()
		}
	}
}

// fiberV3 is a Fiber v3 app as fibertest takes it, with the banner off.
type fiberV3 struct{ *fiber3.App }

func (a fiberV3) Listener(ln net.Listener) error {
	return a.App.Listener(ln, fiber3.ListenConfig{DisableStartupMessage: true})
}

// get sends GET base+path with client and returns the status code, having
// read the whole body.
func get(t *testing.T, client *http.Client, base, path string) int {
	t.Helper()
	resp, err := client.Get(base + path)
	if err != nil {
		t.Fatalf("GET %s%s: %v", base, path, err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatalf("GET %s%s: read the body: %v", base, path, err)
	}
	return resp.StatusCode
}
