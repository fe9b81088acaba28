package grpccheck_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/probekit/probekit/core/checks/grpccheck"
)

func ExampleNew() {
	// An upstream with a health service; in an application, another team's
	// service at an address such as "orders:9000".
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	upstream := health.NewServer()
	gs := grpc.NewServer()
	healthpb.RegisterHealthServer(gs, upstream)
	go func() { _ = gs.Serve(ln) }()
	defer gs.Stop()

	// The application's own connection, shared with its own calls.
	conn, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	defer conn.Close()

	// In an application: core.WithCheck("orders", grpccheck.New(conn, ...)).
	c := grpccheck.New(conn, grpccheck.Service("shop.v1.Orders"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()

	upstream.SetServingStatus("shop.v1.Orders", healthpb.HealthCheckResponse_SERVING)
	fmt.Println(c.Check(ctx))

	upstream.SetServingStatus("shop.v1.Orders", healthpb.HealthCheckResponse_NOT_SERVING)
	err = c.Check(ctx)
	fmt.Println(errors.Is(err, grpccheck.ErrNotServing))
	// Output:
	// <nil>
	// true
}
