package echov5probe_test

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/core"
)

// get runs GET target through e and prints the answer.
func get(e *echo.Echo, target string) {
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	fmt.Printf("%s %d %s", target, w.Code, w.Body)
}

// authRequired stands in for the app's auth.
func authRequired(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		if c.Request().Header.Get(echo.HeaderAuthorization) != "Bearer secret-token" {
			return echo.NewHTTPError(http.StatusUnauthorized, "unauthorized")
		}
		return next(c)
	}
}

func ExampleMiddleware() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	e := echo.New()
	e.Pre(echov5probe.Middleware(h)) // the one line: before routing and every e.Use
	e.Use(authRequired)
	e.GET("/api/whoami", func(c *echo.Context) error { return c.String(http.StatusOK, "demo") })

	for _, target := range []string{"/healthz", "/readyz", "/api/whoami", "/healthz/../api/whoami"} {
		get(e, target)
	}
	// Output:
	// /healthz 200 {"status":"ok"}
	// /readyz 200 {"status":"ok"}
	// /api/whoami 401 {"message":"unauthorized"}
	// /healthz/../api/whoami 401 {"message":"unauthorized"}
}

// Registered with e.Use, the probes run after routing and still answer
// their paths, which have no route: Echo's 404 never sees them.
func ExampleMiddleware_use() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	e := echo.New()
	e.Use(echov5probe.Middleware(h)) // first among the e.Use middleware
	e.Use(authRequired)

	get(e, "/readyz")
	get(e, "/readyz/nosuch")
	get(e, "/readyz/")
	// Output:
	// /readyz 200 {"status":"ok"}
	// /readyz/nosuch 404 {"error":"unknown check"}
	// /readyz/ 401 {"message":"unauthorized"}
}

// Echo's KeyAuth registered before the probes skips exactly the probes;
// the probes come right after it.
func ExampleSkipper() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	e := echo.New()
	e.Use(middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{
		Skipper: echov5probe.Skipper(h),
		Validator: func(_ *echo.Context, key string, _ middleware.ExtractorSource) (bool, error) {
			return subtle.ConstantTimeCompare([]byte(key), []byte("secret-token")) == 1, nil
		},
	}))
	e.Use(echov5probe.Middleware(h)) // right after the auth that skips it

	get(e, "/readyz")
	get(e, "/api/whoami")
	get(e, "/healthz%2F..%2Fapi%2Fwhoami")
	// Output:
	// /readyz 200 {"status":"ok"}
	// /api/whoami 401 {"message":"missing key"}
	// /healthz%2F..%2Fapi%2Fwhoami 401 {"message":"missing key"}
}

// A probe on a route of the app's choosing, with no middleware.
func ExampleReadiness() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()
	_ = h.Hold("warmup", "loading caches")

	e := echo.New()
	e.Match([]string{http.MethodGet, http.MethodHead}, "/internal/ready", echov5probe.Readiness(h))

	get(e, "/internal/ready")
	// Output:
	// /internal/ready 503 {"status":"unhealthy","holds":{"warmup":{}}}
}

// On the signal, readiness turns 503 and, after the drain delay (here 0),
// StartConfig.Start shuts the server down gracefully and returns nil.
func ExampleDrainContext() {
	h := core.MustNew(core.WithLogger(nil), core.WithDrainDelay(0))
	defer h.Close()
	e := echo.New()
	e.Pre(echov5probe.Middleware(h))

	// In main: signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT).
	ctx, sigterm := context.WithCancel(context.Background())
	defer sigterm()
	listening := make(chan string, 1)
	sc := echo.StartConfig{
		Address:          "127.0.0.1:0",
		HideBanner:       true,
		HidePort:         true,
		ListenerAddrFunc: func(addr net.Addr) { listening <- addr.String() },
	}
	done := make(chan error, 1)
	go func() { done <- sc.Start(echov5probe.DrainContext(ctx, h), e) }()

	resp, err := http.Get("http://" + <-listening + "/readyz")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println("before the signal: /readyz", resp.StatusCode)
	sigterm() // the signal arrives
	fmt.Println("Start returned", <-done)
	get(e, "/readyz")
	get(e, "/healthz")
	// Output:
	// before the signal: /readyz 200
	// Start returned <nil>
	// /readyz 503 {"status":"draining"}
	// /healthz 200 {"status":"ok"}
}
