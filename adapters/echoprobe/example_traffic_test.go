package echoprobe_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
)

func ExampleTraffic() {
	rec := trafficcheck.NewRecorder()
	h := core.MustNew(core.WithLogger(nil), core.WithCheck("traffic", trafficcheck.MustNew(rec)))
	defer h.Close()

	e := echo.New()
	e.Pre(echoprobe.Middleware(h))                                    // probes never reach e.Use middleware
	e.Use(echoprobe.Traffic(rec), middleware.Recover(), authRequired) // Traffic first
	e.GET("/api/ok", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/api/broken", func(c echo.Context) error { return errors.New("database unreachable") })
	e.GET("/api/busy", func(c echo.Context) error { return echo.NewHTTPError(http.StatusServiceUnavailable) })

	for _, path := range []string{"/healthz", "/api/ok", "/api/ok", "/api/broken", "/api/busy", "/api/missing"} {
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
	// /api/missing 404
	// 5 requests, 2 failed, success rate 0.60
}

func ExampleTrafficWithConfig() {
	rec := trafficcheck.NewRecorder()
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	e := echo.New()
	// Traffic before the probes: it must skip them itself.
	e.Use(echoprobe.TrafficWithConfig(echoprobe.TrafficConfig{Skipper: echoprobe.Skipper(h), Recorder: rec}))
	e.Use(echoprobe.Middleware(h))
	e.GET("/api/ok", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })

	for _, path := range []string{"/healthz", "/readyz", "/api/ok"} {
		e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	fmt.Println(rec.Stats(time.Minute, 99).Requests, "request recorded")
	// Output:
	// 1 request recorded
}
