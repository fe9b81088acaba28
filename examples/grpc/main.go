// Command grpc is the probekit example for a gRPC service: a tiny API of
// its own (probekit.demo.v1.Whoami, behind Bearer auth) and the
// grpc.health.v1 service on the same server, fed by the same cached state
// as probekit's HTTP probes, answered without credentials.
//
//	go run ./examples/grpc
//	grpc_health_probe -addr=localhost:9000 -service=readiness
//
// (grpcurl needs -proto with grpc/health/v1/health.proto: the example does
// not register server reflection.)
//
// Environment: GRPC_ADDR (default :9000), REDIS_ADDR (default: an embedded
// Redis), DATABASE_URL (postgres://…; default: an embedded in-memory SQL database),
// API_TOKEN (default secret-token); HEALTH_ADDR: /healthz, /readyz and
// /metrics on a probe server of their own there (for HTTP probes and
// Prometheus); HEALTH_STATUS_FILE: the readiness JSON written there, for
// the exec probe `app -ready`; and every other HEALTH_* variable of
// core.WithEnv (HEALTH_INTERVAL, HEALTH_DRAIN_DELAY, …). On SIGTERM or
// SIGINT the "" and "readiness" services turn NOT_SERVING at once,
// "liveness" stays SERVING, and the server exits 0 after the drain delay
// (HEALTH_DRAIN_DELAY, default 5s).
package main

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/probekit/probekit/examples/internal/demo"
)

func main() {
	// The gRPC server: the health service (grpcprobe.Register, in
	// demo.ServeGRPC), auth that skips it (grpcprobe.IsProbe), and the
	// app's own service. This example is a gRPC service: it listens on
	// :9000 unless GRPC_ADDR says otherwise, and serves no HTTP.
	demo.Main(demo.App{
		GRPCAddr: ":9000",
		GRPC: func(s grpc.ServiceRegistrar, deps *demo.Deps) {
			s.RegisterService(&whoamiDesc, &whoami{deps: deps})
		},
	})
}

// whoami is the example's own service: probekit.demo.v1.Whoami/Get takes
// a google.protobuf.Empty and answers a google.protobuf.StringValue, so
// the example needs no generated code.
type whoami struct {
	deps *demo.Deps
}

// get answers the caller's user name, after taking a database connection
// as every request of the demo API does.
func (w *whoami) get(ctx context.Context, _ *emptypb.Empty) (*wrapperspb.StringValue, error) {
	conn, err := w.deps.Conn(ctx)
	if err != nil {
		return nil, status.Error(codes.Unavailable, "database unavailable")
	}
	defer conn.Close()
	return wrapperspb.String("demo"), nil
}

// WhoamiGetMethod is the full method name of the example's own RPC.
const WhoamiGetMethod = "/probekit.demo.v1.Whoami/Get"

// whoamiDesc describes the service as protoc-gen-go-grpc would.
var whoamiDesc = grpc.ServiceDesc{
	ServiceName: "probekit.demo.v1.Whoami",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Get",
		Handler: func(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
			in := new(emptypb.Empty)
			if err := dec(in); err != nil {
				return nil, err
			}
			w := srv.(*whoami)
			if interceptor == nil {
				return w.get(ctx, in)
			}
			info := &grpc.UnaryServerInfo{Server: srv, FullMethod: WhoamiGetMethod}
			return interceptor(ctx, in, info, func(ctx context.Context, req any) (any, error) {
				return w.get(ctx, req.(*emptypb.Empty))
			})
		},
	}},
	Metadata: "probekit/demo/v1/whoami.proto",
}
