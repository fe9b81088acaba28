// Command grpc is the probekit example for a gRPC service: a tiny API of
// its own (probekit.demo.v1.Whoami/Get) behind Bearer auth and a
// DB-connect interceptor, the grpc.health.v1 service on the same server,
// fed from probekit's cached state and answered without credentials, and a
// drain on SIGTERM.
//
//	go run ./examples/grpc
//	grpc_health_probe -addr=localhost:9000 -service=readiness
//
// Environment: GRPC_ADDR (default :9000); REDIS_ADDR (unset: an embedded
// Redis); DATABASE_URL (postgres://…; unset: an embedded SQL database);
// API_TOKEN (default secret-token); the HEALTH_* variables of
// core.WithEnv, among them HEALTH_DRAIN_DELAY (default 5s), HEALTH_ADDR
// (HTTP probes and /metrics on a probe server of their own) and
// HEALTH_STATUS_FILE (for the exec probe `grpc -ready`);
// OTEL_EXPORTER_OTLP_ENDPOINT: probekit's OpenTelemetry metrics and check
// spans exported there over OTLP/gRPC (otel.go).
package main

import (
	"cmp"
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/redis/go-redis/v9"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/probekit/probekit/adapters/grpcprobe"
	"github.com/probekit/probekit/adapters/promprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/redischeck"
	"github.com/probekit/probekit/core/checks/sqlcheck"
	"github.com/probekit/probekit/examples/internal/fallback"
)

func main() {
	// `grpc -ready` is a Kubernetes exec probe: exit 0 while the status file
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
	stopOTel, err := exportOTel(context.Background(), h) // with OTEL_EXPORTER_OTLP_ENDPOINT only (otel.go)
	if err != nil {
		return fmt.Errorf("opentelemetry: %w", err)
	}
	defer func() { _ = stopOTel(context.Background()) }() // the last metrics and spans
	if err := h.Start(context.Background()); err != nil { // HEALTH_ADDR's port taken, say
		return fmt.Errorf("start health checks: %w", err)
	}

	token := cmp.Or(os.Getenv("API_TOKEN"), "secret-token")
	gs := grpc.NewServer(
		grpc.ChainUnaryInterceptor(unaryAuth(token), withConn(db)),
		grpc.ChainStreamInterceptor(streamAuth(token)),
	)
	hs, err := grpcprobe.Register(gs, h) // the one line: grpc.health.v1, from h's cached state
	if err != nil {
		return err
	}
	defer hs.Stop()
	gs.RegisterService(&whoamiService, nil)

	ln, err := net.Listen("tcp", cmp.Or(os.Getenv("GRPC_ADDR"), ":9000"))
	if err != nil {
		return err
	}
	logger.Info("grpc listening", "addr", ln.Addr().String())
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- gs.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
		stop() // a second signal stops the process at once
	}

	// "" and "readiness" NOT_SERVING at once, the drain delay while still
	// serving, then hs.Stop (ending Watch streams) and gs.GracefulStop with
	// 10s for the calls in flight.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), h.DrainDelay()+10*time.Second)
	defer cancel()
	return h.DrainAndShutdown(shutdownCtx, hs.Shutdowner(gs))
}

// unaryAuth requires the Bearer token on every call but the health
// service's: Kubernetes gRPC probes send no credentials.
func unaryAuth(token string) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		if !grpcprobe.IsProbe(info.FullMethod) && !authorized(ctx, token) {
			return nil, status.Error(codes.Unauthenticated, "unauthorized")
		}
		return next(ctx, req)
	}
}

// streamAuth is unaryAuth for streams (the health service's Watch is one).
func streamAuth(token string) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
		if !grpcprobe.IsProbe(info.FullMethod) && !authorized(ss.Context(), token) {
			return status.Error(codes.Unauthenticated, "unauthorized")
		}
		return next(srv, ss)
	}
}

func authorized(ctx context.Context, token string) bool {
	v := metadata.ValueFromIncomingContext(ctx, "authorization")
	return len(v) == 1 && subtle.ConstantTimeCompare([]byte(v[0]), []byte("Bearer "+token)) == 1
}

type connKey struct{}

// withConn takes a pooled database connection for every call but the
// health service's, and fails it after 2s rather than hang while the
// database is down.
func withConn(db *sql.DB) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		if grpcprobe.IsProbe(info.FullMethod) {
			return next(ctx, req)
		}
		connCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		conn, err := db.Conn(connCtx)
		if err == nil {
			defer conn.Close()
			err = conn.PingContext(connCtx)
		}
		if err != nil {
			return nil, status.Error(codes.Unavailable, "database unavailable")
		}
		return next(context.WithValue(ctx, connKey{}, conn), req)
	}
}

// whoamiService is the API, probekit.demo.v1.Whoami/Get: a
// google.protobuf.Empty in, a google.protobuf.StringValue out, described
// as protoc-gen-go-grpc would, so that the example needs no generated code.
var whoamiService = grpc.ServiceDesc{
	ServiceName: "probekit.demo.v1.Whoami",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Get",
		Handler: func(_ any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
			in := new(emptypb.Empty)
			if err := dec(in); err != nil {
				return nil, err
			}
			if interceptor == nil {
				return whoami(ctx, in)
			}
			return interceptor(ctx, in, &grpc.UnaryServerInfo{FullMethod: "/probekit.demo.v1.Whoami/Get"}, whoami)
		},
	}},
}

func whoami(ctx context.Context, _ any) (any, error) {
	_ = ctx.Value(connKey{}).(*sql.Conn) // the call's connection, for its queries
	return wrapperspb.String("demo"), nil
}
