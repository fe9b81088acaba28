package integration_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core"
)

// buildNetHTTP builds the net/http app; with authFirst, auth wraps
// everything and skips the probes with httpprobe.Skipper.
func buildNetHTTP(authFirst bool) func(*testing.T, *core.Health, *appDeps) func(*http.Request) *http.Response {
	return func(t *testing.T, h *core.Health, deps *appDeps) func(*http.Request) *http.Response {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /api/whoami", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"user":"demo"}`)
		})
		var handler http.Handler
		if authFirst {
			handler = requireBearer(httpprobe.Skipper(h), httpprobe.Wrap(h, withDB(deps, mux)))
		} else {
			handler = httpprobe.Wrap(h, requireBearer(nil, withDB(deps, mux)))
		}
		return func(r *http.Request) *http.Response {
			w := httptest.NewRecorder()
			handler.ServeHTTP(w, r)
			return w.Result()
		}
	}
}

func requireBearer(skip func(*http.Request) bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (skip == nil || !skip(r)) && r.Header.Get("Authorization") != "Bearer "+apiToken {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"unauthorized"}`)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func withDB(deps *appDeps, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if deps.dbDown.Load() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"error":"database unavailable"}`)
			return
		}
		next.ServeHTTP(w, r)
	})
}
