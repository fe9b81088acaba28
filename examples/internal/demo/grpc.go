package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/probekit/probekit/adapters/grpcprobe"
	"github.com/probekit/probekit/core"
)

// ServeGRPC starts a gRPC server on addr carrying the Health's
// grpc.health.v1 service (see [grpcprobe.Register]) and whatever register
// adds, behind an interceptor that requires the demo's Bearer token on
// every method except the health service's. With an empty addr it starts
// nothing. The server is stopped by the Health's DrainAndShutdown when it
// is among the servers [Main] shuts down, and by [Deps.Close] otherwise.
func (d *Deps) ServeGRPC(addr string, logger *slog.Logger, register ...func(grpc.ServiceRegistrar)) error {
	if addr == "" {
		return nil
	}
	gs := grpc.NewServer(
		grpc.ChainUnaryInterceptor(d.unaryAuth),
		grpc.ChainStreamInterceptor(d.streamAuth),
	)
	hs, err := grpcprobe.Register(gs, d.Health) // the gRPC line
	if err != nil {
		return err
	}
	for _, r := range register {
		r(gs)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		hs.Stop()
		return fmt.Errorf("GRPC_ADDR=%q: %w", addr, err)
	}
	logger.Info("grpc listening", "addr", ln.Addr().String())
	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := gs.Serve(ln); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
			logger.Error("grpc server stopped", "err", err)
		}
	}()
	d.grpc = hs.Shutdowner(gs)
	d.closers = append(d.closers, func() error {
		hs.Stop()
		gs.Stop()
		<-served
		return nil
	})
	return nil
}

// servers returns httpServer, and the gRPC server when [Deps.ServeGRPC]
// started one, for core.Health.DrainAndShutdown.
func (d *Deps) servers(httpServer ...core.Shutdowner) []core.Shutdowner {
	if d.grpc == nil {
		return httpServer
	}
	return append(httpServer, d.grpc)
}

// unaryAuth requires the Bearer token on every unary method but the health
// service's: kubelet gRPC probes send no credentials.
func (d *Deps) unaryAuth(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	if !grpcprobe.IsProbe(info.FullMethod) && !d.authorizedGRPC(ctx) {
		return nil, status.Error(codes.Unauthenticated, "unauthorized")
	}
	return next(ctx, req)
}

// streamAuth is unaryAuth for streams (health Watch is one).
func (d *Deps) streamAuth(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
	if !grpcprobe.IsProbe(info.FullMethod) && !d.authorizedGRPC(ss.Context()) {
		return status.Error(codes.Unauthenticated, "unauthorized")
	}
	return next(srv, ss)
}

func (d *Deps) authorizedGRPC(ctx context.Context) bool {
	md, _ := metadata.FromIncomingContext(ctx)
	v := md.Get("authorization")
	return len(v) == 1 && d.Authorized(v[0])
}
