package ginprobe_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
)

func ExampleTraffic() {
	rec := trafficcheck.NewRecorder()
	h := core.MustNew(core.WithLogger(nil), core.WithCheck("traffic", trafficcheck.MustNew(rec)))
	defer h.Close()

	r := gin.New()
	r.Use(ginprobe.Middleware(h), ginprobe.Traffic(rec)) // probes are answered before Traffic
	r.Use(gin.RecoveryWithWriter(io.Discard))
	r.GET("/api/ok", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	r.GET("/api/broken", func(c *gin.Context) {
		_ = c.AbortWithError(http.StatusInternalServerError, errors.New("database unreachable"))
	})
	r.GET("/api/panics", func(c *gin.Context) { panic("nil map") })

	for _, path := range []string{"/healthz", "/api/ok", "/api/ok", "/api/broken", "/api/panics", "/api/missing"} {
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	st := rec.Stats(time.Minute, 99)
	fmt.Printf("%d requests, %d failed, success rate %.2f\n", st.Requests, st.Failures, st.SuccessRate())
	// Output:
	// 5 requests, 2 failed, success rate 0.60
}

func ExampleTrafficWithConfig() {
	rec := trafficcheck.NewRecorder()
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	r := gin.New()
	// Traffic before the probes: it must skip them itself.
	r.Use(ginprobe.TrafficWithConfig(ginprobe.TrafficConfig{Recorder: rec, Skip: ginprobe.Skipper(h)}))
	r.Use(ginprobe.Middleware(h))
	r.GET("/api/ok", func(c *gin.Context) { c.String(http.StatusOK, "ok") })

	for _, path := range []string{"/healthz", "/readyz", "/api/ok"} {
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	fmt.Println(rec.Stats(time.Minute, 99).Requests, "request recorded")
	// Output:
	// 1 request recorded
}
