// Command echo is the probekit example for Echo v4: a small API behind
// Bearer auth and a DB-connect middleware, with /healthz and /readyz
// answered in front of both.
//
//	go run ./examples/echo
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
	"database/sql"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/examples/internal/demo"
)

func main() {
	demo.Main(demo.App{HTTP: serve})
}

// serve serves the API on ln; demo.Main drains and shuts e down on
// SIGTERM (deps.Health.DrainAndShutdown: *echo.Echo is a core.Shutdowner).
func serve(deps *demo.Deps, ln net.Listener) (core.Shutdowner, <-chan error) {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Server.ReadHeaderTimeout = 5 * time.Second
	// The one line: probes before routing, auth and the DB-connect middleware.
	e.Pre(echoprobe.Middleware(deps.Health))
	e.Use(requireToken(deps), withConn(deps))
	e.GET("/api/whoami", whoami)

	e.Listener = ln
	served := make(chan error, 1)
	go func() { served <- e.Start(ln.Addr().String()) }()
	return e, served
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
