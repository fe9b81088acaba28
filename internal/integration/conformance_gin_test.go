package integration_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/core"
)

// buildGin builds the Gin app on gin.New() with its default engine
// options: the probe line first, then auth and the DB-connect middleware;
// with authFirst, auth is registered first and skips the probes with
// ginprobe.Skipper, then the probe line, then the DB-connect middleware.
func buildGin(authFirst bool) func(*testing.T, *core.Health, *appDeps) func(*http.Request) *http.Response {
	return func(t *testing.T, h *core.Health, deps *appDeps) func(*http.Request) *http.Response {
		gin.SetMode(gin.TestMode) // no debug warnings in the test output
		r := gin.New()
		if authFirst {
			r.Use(ginRequireBearer(ginprobe.Skipper(h)), ginprobe.Middleware(h), ginWithDB(deps))
		} else {
			r.Use(ginprobe.Middleware(h))
			r.Use(ginRequireBearer(nil), ginWithDB(deps))
		}
		r.GET("/api/whoami", func(c *gin.Context) {
			c.Data(http.StatusOK, "application/json", []byte(`{"user":"demo"}`))
		})
		return func(req *http.Request) *http.Response {
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			return w.Result()
		}
	}
}

// ginRequireBearer is the app's Bearer auth as Gin middleware; skip, when
// set, lets the requests it is true for through.
func ginRequireBearer(skip func(*gin.Context) bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if (skip == nil || !skip(c)) && c.GetHeader("Authorization") != "Bearer "+apiToken {
			c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": "unauthorized"})
			return
		}
		c.Next()
	}
}

// ginWithDB is the app's DB-connect middleware: 500 while the database is
// down.
func ginWithDB(deps *appDeps) gin.HandlerFunc {
	return func(c *gin.Context) {
		if deps.dbDown.Load() {
			c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "database unavailable"})
			return
		}
		c.Next()
	}
}
