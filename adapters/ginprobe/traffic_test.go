package ginprobe_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/testenv"
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

func TestTraffic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		method, target string
		recoveryAfter  bool // gin.Recovery registered after Traffic, not before
		wantCode       int  // both sent and recorded
	}{
		{"ok", "GET", "/ok", false, 200},
		{"created", "POST", "/created", false, 201},
		{"silent", "GET", "/silent", false, 200},
		{"no route", "GET", "/missing", false, 404},
		{"no method", "DELETE", "/ok", false, 405},
		{"bad request", "GET", "/bad-request", false, 400},
		{"fail", "GET", "/fail", false, 500},
		{"AbortWithError", "GET", "/unavailable", false, 503},
		{"panic, Recovery before", "GET", "/panic", false, 500},
		{"panic, Recovery after", "GET", "/panic", true, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spy := &testenv.TrafficSpy{}
			rec := spy.NewRecorder()
			r := gin.New()
			r.HandleMethodNotAllowed = true
			if tt.recoveryAfter {
				r.Use(ginprobe.Traffic(rec), gin.RecoveryWithWriter(io.Discard))
			} else {
				r.Use(gin.RecoveryWithWriter(io.Discard), ginprobe.Traffic(rec))
			}
			srv := testenv.NewServer(t, trafficRoutes(r))
			if code, _ := testenv.Send(t, srv, tt.method, tt.target); code != tt.wantCode {
				t.Errorf("%s %s = %d; want %d", tt.method, tt.target, code, tt.wantCode)
			}
			testenv.WantRecorded(t, rec, spy, tt.wantCode)
		})
	}
}

func TestTrafficProbes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		use       func(r *gin.Engine, h *core.Health, rec *trafficcheck.Recorder)
		wantCodes []int
	}{
		{
			name: "after Middleware",
			use: func(r *gin.Engine, h *core.Health, rec *trafficcheck.Recorder) {
				r.Use(ginprobe.Middleware(h), ginprobe.Traffic(rec))
			},
			wantCodes: []int{200, 404},
		},
		{
			name: "before Middleware with Skipper",
			use: func(r *gin.Engine, h *core.Health, rec *trafficcheck.Recorder) {
				r.Use(ginprobe.TrafficWithConfig(ginprobe.TrafficConfig{Recorder: rec, Skip: ginprobe.Skipper(h)}))
				r.Use(ginprobe.Middleware(h))
			},
			wantCodes: []int{200, 404},
		},
		{
			name: "before Middleware without Skip",
			use: func(r *gin.Engine, h *core.Health, rec *trafficcheck.Recorder) {
				r.Use(ginprobe.Traffic(rec), ginprobe.Middleware(h))
			},
			wantCodes: []int{200, 200, 200, 404, 200, 404}, // the probes dilute the rate
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := testenv.NewHealth(t)
			spy := &testenv.TrafficSpy{}
			rec := spy.NewRecorder()
			r := gin.New()
			tt.use(r, h, rec)
			srv := testenv.NewServer(t, trafficRoutes(r))
			for _, target := range []string{"/healthz", "/readyz", "/livez", "/readyz/nosuch", "/ok", "/healthz/"} {
				testenv.Send(t, srv, "GET", target)
			}
			testenv.WantRecorded(t, rec, spy, tt.wantCodes...)
		})
	}
}

func TestTrafficPanic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		givePanic any
	}{
		{"string", "boom"},
		{"error", errors.New("boom")},
		{"ErrAbortHandler", http.ErrAbortHandler},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spy := &testenv.TrafficSpy{}
			rec := spy.NewRecorder()
			r := gin.New() // no Recovery: the panic leaves the engine
			r.Use(ginprobe.Traffic(rec))
			r.GET("/", func(c *gin.Context) {
				c.Status(http.StatusOK)
				c.Writer.WriteHeaderNow()
				panic(tt.givePanic)
			})
			got := func() (v any) {
				defer func() { v = recover() }()
				r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
				return nil
			}()
			if got != tt.givePanic {
				t.Errorf("Traffic: panic(%v) left the engine as %v; want it unchanged", tt.givePanic, got)
			}
			testenv.WantRecorded(t, rec, spy, 500)
		})
	}
}

func TestTrafficLatency(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rec := trafficcheck.NewRecorder() // in the bubble: on its clock
		const took = 250 * time.Millisecond
		r := gin.New()
		r.Use(ginprobe.Traffic(rec))
		r.GET("/", func(c *gin.Context) {
			time.Sleep(took)
			c.Status(http.StatusNoContent)
		})
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
		// Stats is within one part in a million of the latency, never above.
		if st := rec.Stats(time.Minute, 100); st.Requests != 1 || st.Latency > took || st.Latency < took-took/1e6 {
			t.Errorf("Stats() = %d requests, latency %v; want 1, %v", st.Requests, st.Latency, took)
		}
	})
}

func TestTrafficNilRecorder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		give      func()
		wantPanic string
	}{
		{"Traffic", func() { ginprobe.Traffic(nil) }, "ginprobe: Traffic: nil Recorder"},
		{"TrafficWithConfig", func() { ginprobe.TrafficWithConfig(ginprobe.TrafficConfig{}) }, "ginprobe: TrafficWithConfig: nil Recorder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if got := recover(); got != tt.wantPanic {
					t.Errorf("%s(nil) panicked with %v; want %q", tt.name, got, tt.wantPanic)
				}
			}()
			tt.give()
		})
	}
}

// TestTrafficRouteGroup shows Traffic on a route group: requests outside
// the group (here a stream) are not recorded.
func TestTrafficRouteGroup(t *testing.T) {
	t.Parallel()
	spy := &testenv.TrafficSpy{}
	rec := spy.NewRecorder()
	r := gin.New()
	api := r.Group("/api", ginprobe.Traffic(rec))
	api.GET("/ok", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	r.GET("/events", func(c *gin.Context) { c.String(http.StatusOK, strings.Repeat("data: x\n\n", 3)) })
	srv := testenv.NewServer(t, r)
	for _, target := range []string{"/events", "/api/ok", "/events"} {
		testenv.Send(t, srv, "GET", target)
	}
	testenv.WantRecorded(t, rec, spy, 200)
}
