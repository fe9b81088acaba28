package echoprobe_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/labstack/echo/v4"

	"github.com/probekit/probekit/adapters/echoprobe"
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
	return func(c echo.Context) error {
		if c.Request().Header.Get(echo.HeaderAuthorization) != "Bearer secret-token" {
			return echo.NewHTTPError(http.StatusUnauthorized, echo.Map{"error": "unauthorized"})
		}
		return next(c)
	}
}

func ExampleMiddleware() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	e := echo.New()
	e.Pre(echoprobe.Middleware(h)) // the one line: before routing and every e.Use
	e.Use(authRequired)
	e.GET("/api/whoami", func(c echo.Context) error { return c.String(http.StatusOK, "demo") })

	for _, target := range []string{"/healthz", "/readyz", "/api/whoami", "/healthz/../api/whoami"} {
		get(e, target)
	}
	// Output:
	// /healthz 200 {"status":"ok"}
	// /readyz 200 {"status":"ok"}
	// /api/whoami 401 {"error":"unauthorized"}
	// /healthz/../api/whoami 401 {"error":"unauthorized"}
}

// Registered with e.Use, the probes run after routing and still answer
// their paths, which have no route: Echo's 404 never sees them.
func ExampleMiddleware_use() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	e := echo.New()
	e.Use(echoprobe.Middleware(h)) // first among the e.Use middleware
	e.Use(authRequired)

	get(e, "/readyz")
	get(e, "/readyz/nosuch")
	get(e, "/readyz/")
	// Output:
	// /readyz 200 {"status":"ok"}
	// /readyz/nosuch 404 {"error":"unknown check"}
	// /readyz/ 401 {"error":"unauthorized"}
}

// When auth must come first, it skips exactly the probes, and the probes
// come right after it.
func ExampleSkipper() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	skip := echoprobe.Skipper(h)
	auth := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip(c) {
				return next(c)
			}
			return authRequired(next)(c)
		}
	}
	e := echo.New()
	e.Use(auth)
	e.Use(echoprobe.Middleware(h))

	get(e, "/healthz")
	get(e, "/HEALTHZ")
	// Output:
	// /healthz 200 {"status":"ok"}
	// /HEALTHZ 401 {"error":"unauthorized"}
}

// *echo.Echo is a core.Shutdowner: on SIGTERM, DrainAndShutdown turns
// readiness 503, waits the drain delay (here 0) and shuts Echo down.
func Example_drainAndShutdown() {
	h := core.MustNew(core.WithLogger(nil), core.WithDrainDelay(0))
	defer h.Close()
	e := echo.New()
	e.Pre(echoprobe.Middleware(h))

	// In main: <-ctx.Done() of signal.NotifyContext(ctx, syscall.SIGTERM).
	if err := h.DrainAndShutdown(context.Background(), e); err != nil {
		fmt.Println(err)
	}
	get(e, "/readyz")
	get(e, "/healthz")
	// Output:
	// /readyz 503 {"status":"draining"}
	// /healthz 200 {"status":"ok"}
}

// Liveness on a route of the app's choosing stays 200 while the app
// drains: Kubernetes must not restart a pod that is shutting down.
func ExampleLiveness() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	e := echo.New()
	e.Match([]string{http.MethodGet, http.MethodHead}, "/internal/alive", echoprobe.Liveness(h))

	h.Drain()
	get(e, "/internal/alive")
	// Output:
	// /internal/alive 200 {"status":"ok"}
}

// A probe on a route of the app's choosing, with no middleware.
func ExampleReadiness() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	e := echo.New()
	e.Match([]string{http.MethodGet, http.MethodHead}, "/internal/ready", echoprobe.Readiness(h))

	_ = h.Hold("warmup", "loading caches")
	get(e, "/internal/ready")
	h.Release("warmup")
	get(e, "/internal/ready")
	// Output:
	// /internal/ready 503 {"status":"unhealthy","holds":{"warmup":{}}}
	// /internal/ready 200 {"status":"ok"}
}

// The startup probe answers 503 until every startup check has passed once;
// here the checks have not started.
func ExampleStartup() {
	migrated := core.CheckerFunc(func(context.Context) error { return nil })
	h := core.MustNew(core.WithLogger(nil), core.WithCheck("migrations", migrated, core.ForProbes(core.Startup)))
	defer h.Close()

	e := echo.New()
	e.Match([]string{http.MethodGet, http.MethodHead}, "/internal/started", echoprobe.Startup(h))

	get(e, "/internal/started")
	// Output:
	// /internal/started 503 {"status":"starting","checks":{"migrations":{"status":"starting","failures":0}}}
}
