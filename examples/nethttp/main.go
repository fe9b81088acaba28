// Command nethttp is the probekit example for net/http: a small API behind
// Bearer auth and a DB-connect middleware, with /healthz and /readyz
// answered in front of both.
//
//	go run ./examples/nethttp
//	curl -i localhost:8080/readyz
//	curl -i localhost:8080/api/whoami -H 'Authorization: Bearer secret-token'
//
// Environment: ADDR (default :8080), REDIS_ADDR (default: an embedded
// Redis), DATABASE_URL (postgres://…; default: an embedded in-memory SQL database),
// API_TOKEN (default secret-token); GRPC_ADDR: a gRPC server there with
// the grpc.health.v1 service; HEALTH_ADDR: the probes and /metrics on a
// probe server of their own there; HEALTH_STATUS_FILE: the readiness JSON
// written there, for the exec probe `app -ready`; and every other HEALTH_*
// variable of core.WithEnv (HEALTH_INTERVAL, HEALTH_DRAIN_DELAY, …).
// On SIGTERM or SIGINT readiness turns 503 at once, liveness stays 200,
// and the server exits 0 after the drain delay (HEALTH_DRAIN_DELAY,
// default 5s).
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"net"
	"net/http"
	"time"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/examples/internal/demo"
)

func main() {
	demo.Main(demo.App{HTTP: serve})
}

// serve serves the API on ln; demo.Main drains and shuts srv down on
// SIGTERM (deps.Health.DrainAndShutdown).
func serve(deps *demo.Deps, ln net.Listener) (core.Shutdowner, <-chan error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/whoami", whoami)
	srv := &http.Server{
		// The one line: probes first, then auth, then the DB-connect middleware.
		Handler:           httpprobe.Wrap(deps.Health, requireToken(deps, withConn(deps, mux))),
		ReadHeaderTimeout: 5 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	return srv, served
}

// requireToken rejects every request without the demo's Bearer token.
func requireToken(deps *demo.Deps, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !deps.Authorized(r.Header.Get("Authorization")) {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

type connKey struct{}

// withConn takes a pooled database connection for every request.
func withConn(deps *demo.Deps, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := deps.Conn(r.Context())
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "database unavailable"})
			return
		}
		defer conn.Close()
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), connKey{}, conn)))
	})
}

func whoami(w http.ResponseWriter, r *http.Request) {
	_ = r.Context().Value(connKey{}).(*sql.Conn) // the request's connection, were there a query to run
	writeJSON(w, http.StatusOK, map[string]string{"user": "demo"})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
