package integration_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core"
)

// buildChi builds the app on a chi router: the probe line first with
// r.Use(httpprobe.Middleware(h)), then auth and the DB-connect middleware;
// with authFirst, auth is registered first and skips the probes with
// httpprobe.Skipper. chi runs r.Use middleware before it routes, so the
// probes answer before any route or 404/405 handler of chi's.
func buildChi(authFirst bool) func(*testing.T, *core.Health, *appDeps) func(*http.Request) *http.Response {
	return func(t *testing.T, h *core.Health, deps *appDeps) func(*http.Request) *http.Response {
		r := chi.NewRouter()
		if authFirst {
			r.Use(func(next http.Handler) http.Handler { return requireBearer(httpprobe.Skipper(h), next) })
			r.Use(httpprobe.Middleware(h))
		} else {
			r.Use(httpprobe.Middleware(h))
			r.Use(func(next http.Handler) http.Handler { return requireBearer(nil, next) })
		}
		r.Use(func(next http.Handler) http.Handler { return withDB(deps, next) })
		r.Get("/api/whoami", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"user":"demo"}`)
		})
		return func(req *http.Request) *http.Response {
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			return w.Result()
		}
	}
}
