package echov5probe_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
)

func ExampleTraffic() {
	rec := trafficcheck.NewRecorder()
	h := core.MustNew(core.WithLogger(nil), core.WithCheck("traffic", trafficcheck.MustNew(rec)))
	defer h.Close()

	e := echo.New()
	e.Pre(echov5probe.Middleware(h))                                    // probes never reach e.Use middleware
	e.Use(echov5probe.Traffic(rec), middleware.Recover(), authRequired) // Traffic first
	e.GET("/api/ok", func(c *echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/api/broken", func(*echo.Context) error { return errors.New("database unreachable") })
	e.GET("/api/busy", func(*echo.Context) error { return echo.ErrServiceUnavailable })
	e.GET("/api/panics", func(*echo.Context) error { panic("nil map") })

	for _, path := range []string{"/healthz", "/api/ok", "/api/ok", "/api/broken", "/api/busy", "/api/panics", "/api/missing"} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set(echo.HeaderAuthorization, "Bearer secret-token")
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		fmt.Println(path, w.Code)
	}
	st := rec.Stats(time.Minute, 99)
	fmt.Printf("%d requests, %d failed, success rate %.2f\n", st.Requests, st.Failures, st.SuccessRate())
	// Output:
	// /healthz 200
	// /api/ok 200
	// /api/ok 200
	// /api/broken 500
	// /api/busy 503
	// /api/panics 500
	// /api/missing 404
	// 6 requests, 3 failed, success rate 0.50
}

func ExampleTrafficWithConfig() {
	rec := trafficcheck.NewRecorder()
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	e := echo.New()
	// Traffic before the probes: it must skip them itself.
	e.Use(echov5probe.TrafficWithConfig(echov5probe.TrafficConfig{Skipper: echov5probe.Skipper(h), Recorder: rec}))
	e.Use(echov5probe.Middleware(h))
	e.GET("/api/ok", func(c *echo.Context) error { return c.String(http.StatusOK, "ok") })

	for _, path := range []string{"/healthz", "/readyz", "/api/ok"} {
		e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	fmt.Println(rec.Stats(time.Minute, 99).Requests, "request recorded")
	// Output:
	// 1 request recorded
}
