// Command nethttp is the probekit example for net/http: a small API behind
// Bearer auth and a DB-connect middleware, with /healthz and /readyz
// answered in front of both, and a drain on SIGTERM.
//
//	go run ./examples/nethttp
//	curl -i 'localhost:8080/readyz?verbose'
//	curl -i localhost:8080/api/whoami -H 'Authorization: Bearer secret-token'
//
// Environment: ADDR (default :8080); REDIS_ADDR (unset: an embedded Redis);
// DATABASE_URL (postgres://…; unset: an embedded SQL database); API_TOKEN
// (default secret-token); the HEALTH_* variables of core.WithEnv, among
// them HEALTH_DRAIN_DELAY (default 5s), HEALTH_ADDR (probes and /metrics on
// a probe server of their own) and HEALTH_STATUS_FILE (for the exec probe
// `nethttp -ready`).
package main

import (
	"cmp"
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/adapters/promprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/redischeck"
	"github.com/probekit/probekit/core/checks/sqlcheck"
	"github.com/probekit/probekit/examples/internal/fallback"
)

func main() {
	// `nethttp -ready` is a Kubernetes exec probe: exit 0 while the status
	// file the running app writes (HEALTH_STATUS_FILE) says ready.
	if len(os.Args) == 2 && os.Args[1] == "-ready" {
		err := errors.New("-ready: HEALTH_STATUS_FILE is not set")
		if path := os.Getenv("HEALTH_STATUS_FILE"); path != "" {
			err = core.CheckStatusFile(path)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(logger); err != nil {
		logger.Error("exiting", "err", err)
		os.Exit(1)
	}
	logger.Info("stopped")
}

func run(logger *slog.Logger) error {
	// Demo stand-ins (internal/fallback) when REDIS_ADDR or DATABASE_URL is
	// unset; your app passes its own address and URL on.
	redisAddr, stopRedis, err := fallback.Redis(os.Getenv("REDIS_ADDR"), logger)
	if err != nil {
		return err
	}
	defer stopRedis()
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
	defer rdb.Close()
	db, err := sql.Open(fallback.DB("pgx", os.Getenv("DATABASE_URL"), logger))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(10)

	h, err := core.New(
		core.WithEnv(), // HEALTH_*: a bad value is an error here, naming it
		core.WithCheck("redis", redischeck.New(rdb)),
		core.WithCheck("db", sqlcheck.New(db)),
		core.WithLogger(logger),
	)
	if err != nil {
		return err
	}
	defer h.Close() // stops the checks, the probe server and the status file
	metrics, err := promprobe.Handler(h)
	if err != nil {
		return err
	}
	if err := h.HandleOnProbeServer("/metrics", metrics); err != nil { // with HEALTH_ADDR only
		return err
	}
	if err := h.Start(context.Background()); err != nil { // HEALTH_ADDR's port taken, say
		return fmt.Errorf("start health checks: %w", err)
	}

	token := cmp.Or(os.Getenv("API_TOKEN"), "secret-token")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/whoami", whoami)
	srv := &http.Server{
		Addr:              cmp.Or(os.Getenv("ADDR"), ":8080"),
		Handler:           httpprobe.Wrap(h, requireToken(token, withConn(db, mux))), // the one line
		ReadHeaderTimeout: 5 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.ListenAndServe() }()
	logger.Info("listening", "addr", srv.Addr)
	select {
	case err := <-served: // the port is taken, say
		return err
	case <-ctx.Done():
		stop() // a second signal stops the process at once
	}

	// Readiness 503 at once, the drain delay while still serving, then
	// Shutdown with 10s for the requests in flight.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), h.DrainDelay()+10*time.Second)
	defer cancel()
	return h.DrainAndShutdown(shutdownCtx, srv)
}

// requireToken rejects every request without the Bearer token.
func requireToken(token string, next http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

type connKey struct{}

// withConn takes a pooled database connection for every request, and
// fails it after 2s rather than hang while the database is down.
func withConn(db *sql.DB, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		conn, err := db.Conn(ctx)
		if err == nil {
			defer conn.Close()
			err = conn.PingContext(ctx)
		}
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "database unavailable"})
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), connKey{}, conn)))
	})
}

func whoami(w http.ResponseWriter, r *http.Request) {
	_ = r.Context().Value(connKey{}).(*sql.Conn) // the request's connection, for its queries
	writeJSON(w, http.StatusOK, map[string]string{"user": "demo"})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
