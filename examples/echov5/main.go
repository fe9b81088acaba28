// Command echov5 is the probekit example for Echo v5: a small API behind
// Bearer auth and a DB-connect middleware, with /healthz and /readyz
// answered in front of both, and a drain on SIGTERM through
// echo.StartConfig and echov5probe.DrainContext.
//
//	go run ./examples/echov5
//	curl -i 'localhost:8080/readyz?verbose'
//	curl -i localhost:8080/api/whoami -H 'Authorization: Bearer secret-token'
//
// Environment: ADDR (default :8080); REDIS_ADDR (unset: an embedded Redis);
// DATABASE_URL (postgres://…; unset: an embedded SQL database); API_TOKEN
// (default secret-token); the HEALTH_* variables of core.WithEnv, among
// them HEALTH_DRAIN_DELAY (default 5s), HEALTH_ADDR (probes and /metrics on
// a probe server of their own) and HEALTH_STATUS_FILE (for the exec probe
// `echov5 -ready`).
package main

import (
	"cmp"
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/adapters/promprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/redischeck"
	"github.com/probekit/probekit/core/checks/sqlcheck"
	"github.com/probekit/probekit/examples/internal/fallback"
)

func main() {
	// `echov5 -ready` is a Kubernetes exec probe: exit 0 while the status file
	// the running app writes (HEALTH_STATUS_FILE) says ready.
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

	e := echo.New()
	e.Logger = logger
	e.Pre(echov5probe.Middleware(h)) // the one line: probes before routing and every e.Use middleware
	e.Use(middleware.Recover(), requireToken(cmp.Or(os.Getenv("API_TOKEN"), "secret-token")), withConn(db))
	e.GET("/api/whoami", whoami)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	var shutdownErr error
	sc := echo.StartConfig{
		Address:         cmp.Or(os.Getenv("ADDR"), ":8080"),
		HideBanner:      true,
		GracefulTimeout: 10 * time.Second, // for the requests in flight, after the drain delay
		OnShutdownError: func(err error) { shutdownErr = err },
	}
	// On the signal, readiness 503 at once; the drain delay later, Start
	// shuts the server down and returns.
	if err := sc.Start(echov5probe.DrainContext(ctx, h), e); err != nil {
		return err
	}
	return shutdownErr
}

// requireToken rejects every request without the Bearer token.
func requireToken(token string) echo.MiddlewareFunc {
	want := []byte("Bearer " + token)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			if subtle.ConstantTimeCompare([]byte(c.Request().Header.Get(echo.HeaderAuthorization)), want) != 1 {
				return c.JSON(http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
			}
			return next(c)
		}
	}
}

// withConn takes a pooled database connection for every request, and
// fails it after 2s rather than hang while the database is down.
func withConn(db *sql.DB) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
			defer cancel()
			conn, err := db.Conn(ctx)
			if err == nil {
				defer conn.Close()
				err = conn.PingContext(ctx)
			}
			if err != nil {
				return c.JSON(http.StatusInternalServerError, map[string]string{"error": "database unavailable"})
			}
			c.Set("conn", conn)
			return next(c)
		}
	}
}

func whoami(c *echo.Context) error {
	_ = c.Get("conn").(*sql.Conn) // the request's connection, for its queries
	return c.JSON(http.StatusOK, map[string]string{"user": "demo"})
}
