package ginprobe_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/testenv"
	"github.com/probekit/probekit/internal/traffictest"
)

// trafficRoutes registers a route for each way a Gin app answers.
func trafficRoutes(r *gin.Engine) *gin.Engine {
	r.GET("/ok", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	r.POST("/created", func(c *gin.Context) { c.JSON(http.StatusCreated, gin.H{"id": 1}) })
	r.GET("/silent", func(*gin.Context) {})
	r.GET("/bad-request", func(c *gin.Context) { c.AbortWithStatus(http.StatusBadRequest) })
	r.GET("/fail", func(c *gin.Context) { c.String(http.StatusInternalServerError, "boom") })
	r.GET("/unavailable", func(c *gin.Context) {
		_ = c.AbortWithError(http.StatusServiceUnavailable, errors.New("db down"))
	})
	r.GET("/panic", func(*gin.Context) { panic("boom") })
	return r
}

// serveTraffic is traffictest's App.Serve for Gin: Traffic right after
// Middleware, or before it.
func serveTraffic(t *testing.T, m traffictest.Mount, h *core.Health, rec *trafficcheck.Recorder) traffictest.Client {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	switch m {
	case traffictest.RecoverFirst:
		r.Use(gin.RecoveryWithWriter(io.Discard), ginprobe.Traffic(rec))
	case traffictest.RecoverAfter:
		r.Use(ginprobe.Traffic(rec), gin.RecoveryWithWriter(io.Discard))
	case traffictest.ProbesFirst:
		r.Use(ginprobe.Middleware(h), ginprobe.Traffic(rec))
	case traffictest.ProbesSkipped:
		r.Use(ginprobe.TrafficWithConfig(ginprobe.TrafficConfig{Recorder: rec, Skip: ginprobe.Skipper(h)}))
		r.Use(ginprobe.Middleware(h))
	case traffictest.ProbesCounted:
		r.Use(ginprobe.Traffic(rec), ginprobe.Middleware(h))
	default:
		t.Fatalf("mount %d: unknown", m)
	}
	return traffictest.Server(t, trafficRoutes(r))
}

func TestTraffic(t *testing.T) {
	t.Parallel()
	traffictest.Run(t, traffictest.App{
		Adapter: "ginprobe",
		Serve:   serveTraffic,
		Direct: func(rec *trafficcheck.Recorder, code int, then func()) func() {
			r := gin.New() // no Recovery: a panic leaves the engine
			r.Use(ginprobe.Traffic(rec))
			r.GET("/", func(c *gin.Context) {
				c.Status(code)
				c.Writer.WriteHeaderNow()
				then()
			})
			return func() { r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil)) }
		},
		NilTraffic:           func() { ginprobe.Traffic(nil) },
		NilTrafficWithConfig: func() { ginprobe.TrafficWithConfig(ginprobe.TrafficConfig{}) },
	})
}

// TestTrafficRouteGroup shows Traffic on a route group: requests outside
// the group (here a stream) are not recorded.
func TestTrafficRouteGroup(t *testing.T) {
	t.Parallel()
	spy := traffictest.NewSpy()
	r := gin.New()
	api := r.Group("/api", ginprobe.Traffic(spy.Recorder))
	api.GET("/ok", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	r.GET("/events", func(c *gin.Context) { c.String(http.StatusOK, strings.Repeat("data: x\n\n", 3)) })
	srv := testenv.NewServer(t, r)
	for _, target := range []string{"/events", "/api/ok", "/events"} {
		testenv.Send(t, srv, "GET", target)
	}
	spy.Want(t, 200)
}
