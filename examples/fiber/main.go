// Command fiber is the probekit example for Fiber v2: a small API behind
// Fiber's keyauth middleware and a DB-connect middleware, with /healthz and
// /readyz answered in front of both, and a drain on SIGTERM.
//
//	go run ./examples/fiber
//	curl -i 'localhost:8080/readyz?verbose'
//	curl -i localhost:8080/api/whoami -H 'Authorization: Bearer secret-token'
//
// Environment: ADDR (default :8080); REDIS_ADDR (unset: an embedded Redis);
// DATABASE_URL (postgres://…; unset: an embedded SQL database); API_TOKEN
// (default secret-token); the HEALTH_* variables of core.WithEnv, among
// them HEALTH_DRAIN_DELAY (default 5s), HEALTH_ADDR (probes and /metrics on
// a probe server of their own) and HEALTH_STATUS_FILE (for the exec probe
// `fiber -ready`).
package main

import (
	"cmp"
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/keyauth"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/adapters/promprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/redischeck"
	"github.com/probekit/probekit/core/checks/sqlcheck"
	"github.com/probekit/probekit/examples/internal/fallback"
)

func main() {
	// `fiber -ready` is a Kubernetes exec probe: exit 0 while the status file
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

	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		Network:               fiber.NetworkTCP, // IPv4 and IPv6 (Fiber's default: tcp4)
		// The shutdown waits for busy connections: bound how long a slow
		// client can keep one busy.
		ReadTimeout: 5 * time.Second,
		IdleTimeout: 30 * time.Second,
	})
	app.Use(fiberprobe.New(h)) // the one line: probes before auth and the DB-connect middleware
	app.Use(requireToken(cmp.Or(os.Getenv("API_TOKEN"), "secret-token")), withConn(db))
	app.Get("/api/whoami", whoami)

	// Not log.Fatal(app.Listen(addr)) as in Fiber's docs: serve in a
	// goroutine, and on SIGTERM or SIGINT drain, then shut the app down.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	addr := cmp.Or(os.Getenv("ADDR"), ":8080")
	served := make(chan error, 1)
	go func() { served <- app.Listen(addr) }()
	logger.Info("listening", "addr", addr)
	select {
	case err := <-served: // the port is taken, say
		return err
	case <-ctx.Done():
		stop() // a second signal stops the process at once
	}

	// Readiness 503 at once, the drain delay while still serving, then
	// app.ShutdownWithContext with 10s for the requests in flight.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), h.DrainDelay()+10*time.Second)
	defer cancel()
	return h.DrainAndShutdown(shutdownCtx, fiberprobe.Server(app))
}

// requireToken is Fiber's keyauth middleware, requiring the Bearer token.
func requireToken(token string) fiber.Handler {
	want := []byte("Bearer " + token)
	return keyauth.New(keyauth.Config{
		// keyauth strips "Bearer" without checking the space after it:
		// compare the whole header.
		Validator: func(c *fiber.Ctx, _ string) (bool, error) {
			return subtle.ConstantTimeCompare([]byte(c.Get(fiber.HeaderAuthorization)), want) == 1, nil
		},
		ErrorHandler: func(c *fiber.Ctx, _ error) error {
			return c.Status(fiber.StatusUnauthorized).JSON(fiber.Map{"error": "unauthorized"})
		},
	})
}

// withConn takes a pooled database connection for every request, and
// fails it after 2s rather than hang while the database is down.
func withConn(db *sql.DB) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		conn, err := db.Conn(ctx)
		if err == nil {
			defer conn.Close()
			err = conn.PingContext(ctx)
		}
		if err != nil {
			return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"error": "database unavailable"})
		}
		c.Locals("conn", conn)
		return c.Next()
	}
}

func whoami(c *fiber.Ctx) error {
	_ = c.Locals("conn").(*sql.Conn) // the request's connection, for its queries
	return c.JSON(fiber.Map{"user": "demo"})
}
