package ginprobe_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/core"
)

func ExampleMiddleware() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	authRequired := func(c *gin.Context) {
		if c.GetHeader("Authorization") != "Bearer secret-token" {
			c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": "unauthorized"})
			return
		}
		c.Next()
	}
	r := gin.New()
	r.Use(ginprobe.Middleware(h)) // the one line: probes are answered before auth runs
	r.Use(authRequired)
	r.GET("/api/whoami", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"user": "demo"}) })

	for _, path := range []string{"/healthz", "/readyz", "/api/whoami", "/healthz/../api/whoami"} {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		fmt.Println(path, w.Code, strings.TrimSpace(w.Body.String()))
	}
	// Output:
	// /healthz 200 {"status":"ok"}
	// /readyz 200 {"status":"ok"}
	// /api/whoami 401 {"error":"unauthorized"}
	// /healthz/../api/whoami 401 {"error":"unauthorized"}
}

func ExampleSkipper() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	// Auth that must be registered first skips exactly the probes, and the
	// probe middleware comes right after it.
	authRequired := func(skip func(*gin.Context) bool) gin.HandlerFunc {
		return func(c *gin.Context) {
			if !skip(c) && c.GetHeader("Authorization") != "Bearer secret-token" {
				c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": "unauthorized"})
				return
			}
			c.Next()
		}
	}
	r := gin.New()
	r.Use(authRequired(ginprobe.Skipper(h)), ginprobe.Middleware(h))
	r.GET("/api/whoami", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"user": "demo"}) })

	for _, path := range []string{"/readyz", "/readyz%2F..%2Fapi%2Fwhoami", "/api/whoami"} {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		fmt.Println(path, w.Code)
	}
	// Output:
	// /readyz 200
	// /readyz%2F..%2Fapi%2Fwhoami 401
	// /api/whoami 401
}

func ExampleReadiness() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	r := gin.New()
	r.Match([]string{http.MethodGet, http.MethodHead}, "/internal/ready", ginprobe.Readiness(h))

	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/internal/ready", nil))
	fmt.Print(w.Code, " ", w.Body)
	// Output:
	// 200 {"status":"ok"}
}
