// Command echov5 is the probekit example for Echo v5: a small API behind
// Bearer auth and a DB-connect middleware, with /healthz and /readyz
// answered before routing, in front of both.
//
//	go run ./examples/echov5
//	curl -i localhost:8080/readyz
//	curl -i localhost:8080/api/whoami -H 'Authorization: Bearer secret-token'
//
// Environment: ADDR (default :8080), REDIS_ADDR (default: an embedded
// Redis), DATABASE_URL (postgres://…; default: an embedded in-memory SQL
// database), API_TOKEN (default secret-token); GRPC_ADDR: a gRPC server
// there with the grpc.health.v1 service; HEALTH_ADDR: the probes and
// /metrics on a probe server of their own there; HEALTH_STATUS_FILE: the
// readiness JSON written there, for the exec probe `app -ready`; and every
// other HEALTH_* variable of core.WithEnv (HEALTH_INTERVAL,
// HEALTH_DRAIN_DELAY, …). On SIGTERM or SIGINT readiness turns 503 at
// once, liveness stays 200, and the server exits 0 after the drain delay
// (HEALTH_DRAIN_DELAY, default 5s). An app that starts Echo v5 with
// echo.StartConfig drains with echov5probe.DrainContext instead (see
// docs/echov5.md).
package main

import (
	"database/sql"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/examples/internal/demo"
)

func main() {
	demo.Main(demo.App{HTTP: serve})
}

// serve serves the API on ln with an *http.Server whose handler is e;
// demo.Main drains and shuts it down on SIGTERM
// (deps.Health.DrainAndShutdown).
func serve(deps *demo.Deps, ln net.Listener) (core.Shutdowner, <-chan error) {
	e := echo.New()
	// The one line: probes before routing, auth and the DB-connect middleware.
	e.Pre(echov5probe.Middleware(deps.Health))
	e.Use(requireToken(deps), withConn(deps))
	e.GET("/api/whoami", whoami)

	srv := &http.Server{Handler: e, ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	return srv, served
}

// requireToken rejects every request without the demo's Bearer token.
func requireToken(deps *demo.Deps) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			if !deps.Authorized(c.Request().Header.Get(echo.HeaderAuthorization)) {
				return c.JSON(http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
			}
			return next(c)
		}
	}
}

const connKey = "conn"

// withConn takes a pooled database connection for every request.
func withConn(deps *demo.Deps) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			conn, err := deps.Conn(c.Request().Context())
			if err != nil {
				return c.JSON(http.StatusInternalServerError, map[string]string{"error": "database unavailable"})
			}
			defer conn.Close()
			c.Set(connKey, conn)
			return next(c)
		}
	}
}

func whoami(c *echo.Context) error {
	_ = c.Get(connKey).(*sql.Conn) // the request's connection, were there a query to run
	return c.JSON(http.StatusOK, map[string]string{"user": "demo"})
}
