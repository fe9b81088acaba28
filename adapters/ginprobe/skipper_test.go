package ginprobe_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/probekit/probekit/internal/testenv"

	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/adapters/ginprobe"
)

func TestIsProbe(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	tests := []struct {
		target string
		want   bool
	}{
		{"/healthz", true},
		{"/livez", true},
		{"/readyz", true},
		{"/readyz?verbose", true},
		{"/readyz/redis", true},
		{"/readyz/nosuch", true}, // answered: 404 unknown check
		{"/startupz", true},
		{"/healthz/", false},
		{"/HEALTHZ", false},
		{"//healthz", false},
		{"/healthz/../api/whoami", false},
		{"/healthz%2F..%2Fapi%2Fwhoami", false},
		{"/health%7A", false},
		{"/healthzz", false},
		{"/readyz/redis/", false},
		{"/readyz/redis/api", false},
		{"/api/healthz", false},
	}
	var skip gin.Skipper = ginprobe.Skipper(h) // Gin's own skip hook type
	for _, tt := range tests {
		var got, gotSkip bool
		r := gin.New()
		r.Use(func(c *gin.Context) {
			got, gotSkip = ginprobe.IsProbe(h, c), skip(c)
			c.AbortWithStatus(http.StatusNoContent)
		})
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", tt.target, nil))
		if got != tt.want || gotSkip != tt.want {
			t.Errorf("IsProbe(%s) = %v, Skipper = %v; want %v", tt.target, got, gotSkip, tt.want)
		}
	}
}

// TestSkipperKeepsProbesOutOfTheLog registers Gin's logger before the
// probes, skipping them with Skipper.
func TestSkipperKeepsProbesOutOfTheLog(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	var log strings.Builder
	r := gin.New()
	r.Use(gin.LoggerWithConfig(gin.LoggerConfig{Output: &log, Skip: ginprobe.Skipper(h)}))
	r.Use(ginprobe.Middleware(h))
	r.GET("/api/x", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	for _, target := range []string{"/healthz", "/readyz", "/api/x", "/healthz/"} {
		serve(r, "GET", target)
	}
	if got := log.String(); strings.Contains(got, `"/healthz"`) || strings.Contains(got, `"/readyz"`) ||
		!strings.Contains(got, `"/api/x"`) || !strings.Contains(got, `"/healthz/"`) {
		t.Errorf("access log:\n%s\nwant /api/x and /healthz/ only", got)
	}
}

// TestSkipperWrapsBasicAuth puts Gin's BasicAuth, which has no skip hook,
// first: a wrapper returns without calling it for probes, and the chain
// goes on to the probes.
func TestSkipperWrapsBasicAuth(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	skip := ginprobe.Skipper(h)
	basic := gin.BasicAuth(gin.Accounts{"admin": "secret"})
	r := gin.New()
	r.Use(func(c *gin.Context) {
		if !skip(c) {
			basic(c)
		}
	}, ginprobe.Middleware(h))
	r.GET("/api/x", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	tests := []struct {
		target   string
		auth     bool
		wantCode int
	}{
		{"/healthz", false, 200},
		{"/readyz/nosuch", false, 404},
		{"/api/x", false, 401},
		{"/api/x", true, 204},
		{"/healthz/", false, 401},
		{"/healthz/../api/x", false, 401},
	}
	for _, tt := range tests {
		var header []string
		if tt.auth {
			header = []string{"Authorization", "Basic YWRtaW46c2VjcmV0"} // admin:secret
		}
		if w := serve(r, "GET", tt.target, header...); w.Code != tt.wantCode {
			t.Errorf("GET %s (credentials %v) = %d; want %d", tt.target, tt.auth, w.Code, tt.wantCode)
		}
	}
}
