// Package demo holds what every probekit example app shares, so that each
// example shows only its framework's wiring: configuration from the
// environment (the example contract), the app's Redis client and database
// with embedded stand-ins when none is configured, the probekit Health with
// its checks, and the auth and DB-connect rules of the demo API.
package demo

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/alicebob/miniredis/v2"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/redis/go-redis/v9"
	"modernc.org/ql"

	"github.com/probekit/probekit/adapters/promprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/redischeck"
	"github.com/probekit/probekit/core/checks/sqlcheck"
)

// Config is the example contract, read from the environment by [Load].
// The HEALTH_* variables (check interval, timeout and thresholds, drain
// delay, HEALTH_ADDR for the dedicated probe server, HEALTH_STATUS_FILE
// for exec probes, …) are read by probekit itself: see [Open].
type Config struct {
	Addr        string // ADDR, default ":8080"
	GRPCAddr    string // GRPC_ADDR; empty: no gRPC server (examples/grpc: ":9000")
	RedisAddr   string // REDIS_ADDR; empty: an embedded Redis-compatible server
	DatabaseURL string // DATABASE_URL (postgres://…); empty: an embedded in-memory SQL database
	APIToken    string // API_TOKEN, default "secret-token"
}

// Load reads the configuration with getenv (os.Getenv in main).
func Load(getenv func(string) string) Config {
	return Config{
		Addr:        or(getenv("ADDR"), ":8080"),
		GRPCAddr:    getenv("GRPC_ADDR"),
		RedisAddr:   getenv("REDIS_ADDR"),
		DatabaseURL: getenv("DATABASE_URL"),
		APIToken:    or(getenv("API_TOKEN"), "secret-token"),
	}
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Deps are the app's dependencies and its Health.
type Deps struct {
	Redis  *redis.Client
	DB     *sql.DB
	Health *core.Health
	Token  string

	grpc    core.Shutdowner // set by ServeGRPC
	closers []func() error
}

// Open connects to (or starts) Redis and the database and builds the
// Health with a check for each, configured from the HEALTH_* environment
// ([core.WithEnv]), with /metrics on its probe server. It does not start
// the Health.
func Open(cfg Config, logger *slog.Logger) (*Deps, error) {
	d := &Deps{Token: cfg.APIToken}
	fail := func(err error) (*Deps, error) {
		d.Close()
		return nil, err
	}

	addr := cfg.RedisAddr
	if addr == "" {
		mr, err := miniredis.Run()
		if err != nil {
			return fail(fmt.Errorf("start embedded redis: %w", err))
		}
		d.closers = append(d.closers, func() error { mr.Close(); return nil })
		addr = mr.Addr()
		logger.Info("REDIS_ADDR not set: started an embedded Redis-compatible server (miniredis)", "addr", addr)
	}
	d.Redis = redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	d.closers = append(d.closers, d.Redis.Close)

	if cfg.DatabaseURL != "" {
		db, err := sql.Open("pgx", cfg.DatabaseURL)
		if err != nil {
			return fail(fmt.Errorf("open DATABASE_URL: %w", err))
		}
		d.DB = db
	} else {
		// modernc.org/ql, a pure-Go SQL database, in memory: a first
		// `go run` builds it in half the time of an embedded SQLite and
		// downloads a tenth as much (docs/contributing.md).
		ql.RegisterMemDriver()
		db, err := sql.Open("ql-mem", "demo")
		if err != nil {
			return fail(fmt.Errorf("open embedded database: %w", err))
		}
		d.DB = db
		logger.Info("DATABASE_URL not set: using an embedded in-memory SQL database (modernc.org/ql)")
	}
	d.DB.SetMaxOpenConns(10)
	d.closers = append(d.closers, d.DB.Close)

	// HEALTH_* from the environment: check defaults, drain delay, the
	// probe server (HEALTH_ADDR), the status file (HEALTH_STATUS_FILE). A
	// bad value is an error here that names the variable.
	h, err := core.New(
		core.WithEnv(),
		core.WithCheck("redis", redischeck.New(d.Redis)),
		core.WithCheck("db", sqlcheck.New(d.DB)),
		core.WithLogger(logger),
	)
	if err != nil {
		return fail(err)
	}
	d.Health = h
	// /metrics beside /healthz and /readyz on the probe server, when
	// HEALTH_ADDR asks for one (without it, this does nothing).
	metrics, err := promprobe.Handler(h)
	if err != nil {
		return fail(err)
	}
	if err := h.HandleOnProbeServer("/metrics", metrics); err != nil {
		return fail(err)
	}
	return d, nil
}

// Close stops the Health and closes what Open opened, in reverse order.
func (d *Deps) Close() {
	if d.Health != nil {
		_ = d.Health.Close()
	}
	for i := len(d.closers) - 1; i >= 0; i-- {
		_ = d.closers[i]()
	}
}

// Authorized reports whether an Authorization header value carries the
// demo's Bearer token.
func (d *Deps) Authorized(header string) bool {
	return header == "Bearer "+d.Token
}

// Conn takes a pooled database connection for one request, as the
// DB-connect middleware of every example does. It gives up after 2s so
// that an unreachable database fails requests instead of hanging them.
func (d *Deps) Conn(ctx context.Context) (*sql.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := d.DB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if err := conn.PingContext(ctx); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return conn, nil
}
