package soak

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gofiber/fiber/v2"
	fiber3 "github.com/gofiber/fiber/v3"
	"github.com/labstack/echo/v4"
	echo5 "github.com/labstack/echo/v5"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/adapters/grpcprobe"
	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/fibertest"
	"github.com/probekit/probekit/internal/testenv"
)

// kind is what one load request asks for.
type kind uint8

const (
	readyz   kind = iota // the readiness probe
	healthz              // the liveness probe
	appRoute             // the app's own route, behind the probe middleware
	numKinds
)

var kindNames = [numKinds]string{"readyz", "healthz", "app"}

// appBody is what every app's own route answers.
const appBody = "app"

// callTimeout bounds one load request, so that a hung server fails the
// test as an error instead of hanging it.
const callTimeout = 10 * time.Second

// sender sends one request of a kind and returns the answer's status code
// (gRPC: 200 for SERVING, 503 for NOT_SERVING), or an error for a
// transport failure, an unexpected status or a malformed body. A sender
// belongs to one goroutine.
type sender func(k kind) (int, error)

// target is one adapter serving the Health on a real loopback listener, as
// the load sees it.
type target struct {
	name      string
	kinds     []kind        // the request cycle of each client
	newSender func() sender // one per client goroutine
	closeIdle func()        // closes the clients' idle connections
}

// serveAll serves h through every adapter on its own loopback listener,
// each with an app route of its own, and returns the targets. Everything
// is shut down when the test ends.
func serveAll(t *testing.T, h *core.Health, clients int) []*target {
	t.Helper()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /app", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, appBody) })
	nethttp := testenv.NewServer(t, httpprobe.Wrap(h, mux))

	r := gin.New()
	r.Use(ginprobe.Middleware(h))
	r.GET("/app", func(c *gin.Context) { c.String(http.StatusOK, appBody) })
	ginSrv := testenv.NewServer(t, r)

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Pre(echoprobe.Middleware(h))
	e.GET("/app", func(c echo.Context) error { return c.String(http.StatusOK, appBody) })
	echoSrv := testenv.NewServer(t, e)

	e5 := echo5.New()
	e5.Pre(echov5probe.Middleware(h))
	e5.GET("/app", func(c *echo5.Context) error { return c.String(http.StatusOK, appBody) })
	echo5Srv := testenv.NewServer(t, e5)

	return []*target{
		httpTarget("net/http", nethttp.URL, clients),
		httpTarget("gin", ginSrv.URL, clients),
		httpTarget("echo", echoSrv.URL, clients),
		httpTarget("fiber", serveFiber(t, h), clients),
		httpTarget("echov5", echo5Srv.URL, clients),
		httpTarget("fiberv3", serveFiberV3(t, h), clients),
		serveGRPC(t, h),
	}
}

// serveFiber serves h with fiberprobe on a Fiber app listening on
// loopback and returns its base URL.
func serveFiber(t *testing.T, h *core.Health) string {
	t.Helper()
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(fiberprobe.New(h))
	app.Get("/app", func(c *fiber.Ctx) error { return c.SendString(appBody) })
	return "http://" + fibertest.Serve(t, quiet(app))
}

// serveFiberV3 serves h with fiberv3probe on a Fiber v3 app listening on
// loopback and returns its base URL.
func serveFiberV3(t *testing.T, h *core.Health) string {
	t.Helper()
	app := fiber3.New()
	app.Use(fiberv3probe.New(h))
	app.Get("/app", func(c fiber3.Ctx) error { return c.SendString(appBody) })
	app.Server().NoDefaultDate = true
	app.Server().MaxIdleWorkerDuration = 10 * time.Millisecond
	return "http://" + fibertest.Serve(t, fiberV3Listener{app})
}

// fiberV3Listener is a Fiber v3 app as fibertest takes it: v3's Listener
// also takes a ListenConfig, here with the startup banner off.
type fiberV3Listener struct{ *fiber3.App }

func (l fiberV3Listener) Listener(ln net.Listener) error {
	return l.App.Listener(ln, fiber3.ListenConfig{DisableStartupMessage: true})
}

// httpTarget loads base with keep-alive clients, one connection per client
// goroutine.
func httpTarget(name, base string, clients int) *target {
	tr := &http.Transport{
		MaxIdleConnsPerHost: clients,
		DisableCompression:  true,
	}
	client := &http.Client{Transport: tr, Timeout: callTimeout}
	urls := [numKinds]string{base + "/readyz", base + "/healthz", base + "/app"}
	return &target{
		name:  name,
		kinds: []kind{readyz, healthz, readyz, appRoute},
		newSender: func() sender {
			var buf bytes.Buffer
			return func(k kind) (int, error) {
				resp, err := client.Get(urls[k])
				if err != nil {
					return 0, err
				}
				buf.Reset()
				_, err = buf.ReadFrom(resp.Body)
				_ = resp.Body.Close()
				if err != nil {
					return 0, fmt.Errorf("GET %s: reading body: %w", urls[k], err)
				}
				if err := validate(k, resp.StatusCode, buf.Bytes()); err != nil {
					return 0, fmt.Errorf("GET %s: %w", urls[k], err)
				}
				return resp.StatusCode, nil
			}
		},
		closeIdle: tr.CloseIdleConnections,
	}
}

// Body starts every answer must have.
var (
	okPrefix        = []byte(`{"status":"ok"`)
	unhealthyPrefix = []byte(`{"status":"unhealthy"`)
)

// validate checks one HTTP answer: /readyz is 200 with an ok body or 503
// with an unhealthy one, /healthz is always 200 (the Redis counts for
// readiness only), the app route is always 200 with the app's body.
func validate(k kind, code int, body []byte) error {
	switch {
	case k == readyz && code == http.StatusOK && bytes.HasPrefix(body, okPrefix),
		k == readyz && code == http.StatusServiceUnavailable && bytes.HasPrefix(body, unhealthyPrefix),
		k == healthz && code == http.StatusOK && bytes.HasPrefix(body, okPrefix),
		k == appRoute && code == http.StatusOK && string(body) == appBody:
		return nil
	}
	return fmt.Errorf("answer %d %.80q is not one %s may give", code, body, kindNames[k])
}

// serveGRPC serves h with grpcprobe on a gRPC server listening on loopback
// and returns a target whose clients share one connection (HTTP/2).
func serveGRPC(t *testing.T, h *core.Health) *target {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer()
	hs, err := grpcprobe.Register(gs, h)
	if err != nil {
		t.Fatalf("grpcprobe.Register() error = %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- gs.Serve(ln) }()
	conn, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		hs.Stop()
		gs.Stop()
		if err := <-done; err != nil && !errors.Is(err, grpc.ErrServerStopped) {
			t.Errorf("grpc Serve: %v", err)
		}
	})
	client := healthpb.NewHealthClient(conn)
	services := [numKinds]string{readyz: "readiness", healthz: "liveness"}
	return &target{
		name:  "grpc",
		kinds: []kind{readyz, healthz},
		newSender: func() sender {
			return func(k kind) (int, error) {
				ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
				defer cancel()
				resp, err := client.Check(ctx, &healthpb.HealthCheckRequest{Service: services[k]})
				if err != nil {
					return 0, fmt.Errorf("Check(%q): %w", services[k], err)
				}
				switch st := resp.GetStatus(); {
				case st == healthpb.HealthCheckResponse_SERVING:
					return http.StatusOK, nil
				case st == healthpb.HealthCheckResponse_NOT_SERVING && k == readyz:
					return http.StatusServiceUnavailable, nil
				default:
					return 0, fmt.Errorf("Check(%q) = %v; not an answer %s may give", services[k], st, kindNames[k])
				}
			}
		},
		closeIdle: func() {}, // one HTTP/2 connection, kept for the whole test
	}
}

// quiet readies a Fiber app for goleak: no Date-header goroutine (fasthttp
// never stops it) and a worker pool that exits soon after Shutdown.
func quiet(app *fiber.App) *fiber.App {
	app.Server().NoDefaultDate = true
	app.Server().MaxIdleWorkerDuration = 10 * time.Millisecond
	return app
}
