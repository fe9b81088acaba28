// Command fiberv3 is the probekit example for Fiber v3: a small API behind
// Fiber's keyauth middleware and a DB-connect middleware, with /healthz and
// /readyz answered in front of both.
//
//	go run ./examples/fiberv3
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
// (HEALTH_DRAIN_DELAY, default 5s).
package main

import (
	"database/sql"
	"net"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/keyauth"

	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/examples/internal/demo"
)

func main() {
	demo.Main(demo.App{HTTP: serve})
}

// serve serves the API on ln; demo.Main drains and shuts the app down on
// SIGTERM (deps.Health.DrainAndShutdown, with fiberv3probe.Server(app) as
// the core.Shutdowner).
func serve(deps *demo.Deps, ln net.Listener) (core.Shutdowner, <-chan error) {
	app := fiber.New(fiber.Config{
		// Fiber's shutdown waits for busy connections; bound how long a
		// slow client can keep one busy.
		ReadTimeout: 5 * time.Second,
		IdleTimeout: 30 * time.Second,
	})
	app.Use(fiberv3probe.New(deps.Health)) // the one line: probes first, then auth, then the DB-connect middleware
	app.Use(requireToken(deps))
	app.Use(withConn(deps))
	app.Get("/api/whoami", whoami)

	// Serve on demo.Main's "tcp" listener (IPv4 and IPv6).
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true}) }()
	return fiberv3probe.Server(app), served
}

// requireToken is Fiber's keyauth middleware requiring the demo's Bearer
// token on every request that reaches it.
func requireToken(deps *demo.Deps) fiber.Handler {
	return keyauth.New(keyauth.Config{
		Validator: func(c fiber.Ctx, _ string) (bool, error) {
			return deps.Authorized(c.Get(fiber.HeaderAuthorization)), nil
		},
		ErrorHandler: func(c fiber.Ctx, _ error) error {
			return c.Status(fiber.StatusUnauthorized).JSON(fiber.Map{"error": "unauthorized"})
		},
	})
}

type connKey struct{}

// withConn takes a pooled database connection for every request.
func withConn(deps *demo.Deps) fiber.Handler {
	return func(c fiber.Ctx) error {
		conn, err := deps.Conn(c) // fiber.Ctx is a context.Context
		if err != nil {
			return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"error": "database unavailable"})
		}
		defer conn.Close()
		fiber.Locals(c, connKey{}, conn)
		return c.Next()
	}
}

func whoami(c fiber.Ctx) error {
	_ = fiber.Locals[*sql.Conn](c, connKey{}) // the request's connection, were there a query to run
	return c.JSON(fiber.Map{"user": "demo"})
}
