// Command gin is the probekit example for Gin: a small API behind Bearer
// auth and a DB-connect middleware, with /healthz and /readyz answered in
// front of both.
//
//	go run ./examples/gin
//	curl -i localhost:8080/readyz
//	curl -i localhost:8080/api/whoami -H 'Authorization: Bearer secret-token'
//
// Environment: ADDR (default :8080), REDIS_ADDR (default: an embedded
// Redis), DATABASE_URL (postgres://…; default: an embedded in-memory SQL database),
// API_TOKEN (default secret-token); GRPC_ADDR: a gRPC server there with
// the grpc.health.v1 service; HEALTH_ADDR: the probes and /metrics on a
// probe server of their own there; HEALTH_STATUS_FILE: the readiness JSON
// written there, for the exec probe `app -ready`; and every other HEALTH_*
// variable of core.WithEnv (HEALTH_INTERVAL, HEALTH_DRAIN_DELAY, …). GIN_MODE
// (default release).
// On SIGTERM or SIGINT readiness turns 503 at once, liveness stays 200,
// and the server exits 0 after the drain delay (HEALTH_DRAIN_DELAY,
// default 5s).
package main

import (
	"database/sql"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/examples/internal/demo"
)

func main() {
	if os.Getenv(gin.EnvGinMode) == "" {
		gin.SetMode(gin.ReleaseMode)
	}
	demo.Main(demo.App{HTTP: serve})
}

// serve serves the API on ln; demo.Main drains and shuts srv down on
// SIGTERM (deps.Health.DrainAndShutdown).
func serve(deps *demo.Deps, ln net.Listener) (core.Shutdowner, <-chan error) {
	r := gin.New()
	r.Use(ginprobe.Middleware(deps.Health)) // the one line: probes first, before auth and the DB-connect middleware
	r.Use(gin.Recovery(), requireToken(deps), withConn(deps))
	r.GET("/api/whoami", whoami)
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	return srv, served
}

// requireToken rejects every request without the demo's Bearer token.
func requireToken(deps *demo.Deps) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !deps.Authorized(c.GetHeader("Authorization")) {
			c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": "unauthorized"})
			return
		}
		c.Next()
	}
}

// connKey is the gin.Context key of the request's database connection.
const connKey = "demo.conn"

// withConn takes a pooled database connection for every request.
func withConn(deps *demo.Deps) gin.HandlerFunc {
	return func(c *gin.Context) {
		conn, err := deps.Conn(c.Request.Context())
		if err != nil {
			c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "database unavailable"})
			return
		}
		defer conn.Close()
		c.Set(connKey, conn)
		c.Next()
	}
}

func whoami(c *gin.Context) {
	_ = c.MustGet(connKey).(*sql.Conn) // the request's connection, were there a query to run
	c.JSON(http.StatusOK, gin.H{"user": "demo"})
}
