// Command echo is the probekit example for Echo v4: a small API behind
// Bearer auth and a DB-connect middleware, with /healthz and /readyz
// answered in front of both.
//
//	go run ./examples/echo
//	curl -i localhost:8080/readyz
//	curl -i localhost:8080/api/whoami -H 'Authorization: Bearer secret-token'
//
// Environment: ADDR (default :8080), REDIS_ADDR (default: an embedded
// Redis), DATABASE_URL (postgres://…; default: an embedded SQLite file),
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
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/examples/internal/demo"
)

func main() {
	demo.ExecProbe(os.Args, os.Getenv) // `app -ready`: the exec probe
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(logger); err != nil {
		logger.Error("exiting", "err", err)
		os.Exit(1)
	}
}

func run(logger *slog.Logger) error {
	cfg := demo.Load(os.Getenv)
	deps, err := demo.Open(cfg, logger)
	if err != nil {
		return err
	}
	defer deps.Close()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := deps.Health.Start(context.Background()); err != nil {
		return err
	}
	if err := deps.ServeGRPC(cfg.GRPCAddr, logger); err != nil {
		return err
	}

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Server.ReadHeaderTimeout = 5 * time.Second
	// The one line: probes before routing, auth and the DB-connect middleware.
	e.Pre(echoprobe.Middleware(deps.Health))
	e.Use(requireToken(deps), withConn(deps))
	e.GET("/api/whoami", whoami)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	e.Listener = ln
	logger.Info("listening", "addr", ln.Addr().String())
	served := make(chan error, 1)
	go func() { served <- e.Start(cfg.Addr) }()

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), deps.Health.DrainDelay()+10*time.Second)
	defer cancel()
	// *echo.Echo is a core.Shutdowner: readiness 503 now, then e.Shutdown.
	if err := deps.Health.DrainAndShutdown(shutdownCtx, deps.Servers(e)...); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

// requireToken rejects every request without the demo's Bearer token.
func requireToken(deps *demo.Deps) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !deps.Authorized(c.Request().Header.Get(echo.HeaderAuthorization)) {
				return echo.NewHTTPError(http.StatusUnauthorized, echo.Map{"error": "unauthorized"})
			}
			return next(c)
		}
	}
}

const connKey = "conn"

// withConn takes a pooled database connection for every request.
func withConn(deps *demo.Deps) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			conn, err := deps.Conn(c.Request().Context())
			if err != nil {
				return echo.NewHTTPError(http.StatusInternalServerError, echo.Map{"error": "database unavailable"}).SetInternal(err)
			}
			defer conn.Close()
			c.Set(connKey, conn)
			return next(c)
		}
	}
}

func whoami(c echo.Context) error {
	_ = c.Get(connKey).(*sql.Conn) // the request's connection, were there a query to run
	return c.JSON(http.StatusOK, echo.Map{"user": "demo"})
}
