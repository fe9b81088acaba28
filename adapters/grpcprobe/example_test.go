package grpcprobe_test

import (
	"context"
	"fmt"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/probekit/probekit/adapters/grpcprobe"
	"github.com/probekit/probekit/core"
)

func Example() {
	h := core.MustNew(
		core.WithCheck("db", core.CheckerFunc(func(ctx context.Context) error {
			return nil // db.PingContext(ctx) in a real app
		})),
		core.WithLogger(nil),
	)
	defer h.Close()

	gs := grpc.NewServer()
	hs, err := grpcprobe.Register(gs, h) // the one line
	if err != nil {
		panic(err)
	}
	defer hs.Stop()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() { _ = gs.Serve(ln) }()
	defer gs.Stop()
	if err := h.Start(context.Background()); err != nil {
		panic(err)
	}

	// A client, as a kubelet or a load balancer would be.
	conn, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	client := healthpb.NewHealthClient(conn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// Wait until ready, as a load balancer watching "" would.
	stream, err := client.Watch(ctx, &healthpb.HealthCheckRequest{Service: ""})
	if err != nil {
		panic(err)
	}
	for {
		m, err := stream.Recv()
		if err != nil {
			panic(err)
		}
		if m.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			break
		}
	}

	check := func(service string) {
		resp, err := client.Check(ctx, &healthpb.HealthCheckRequest{Service: service})
		if err != nil {
			fmt.Printf("%q: %v\n", service, status.Code(err))
			return
		}
		fmt.Printf("%q: %v\n", service, resp.GetStatus())
	}
	for _, service := range []string{"", "liveness", "readiness", "startup", "db", "nope"} {
		check(service)
	}

	h.Drain() // on SIGTERM
	m, err := stream.Recv()
	if err != nil {
		panic(err)
	}
	fmt.Println("drained; watch \"\":", m.GetStatus())
	check("readiness")
	check("liveness")
	// Output:
	// "": SERVING
	// "liveness": SERVING
	// "readiness": SERVING
	// "startup": SERVING
	// "db": SERVING
	// "nope": NotFound
	// drained; watch "": NOT_SERVING
	// "readiness": NOT_SERVING
	// "liveness": SERVING
}

func ExampleServer_Shutdowner() {
	h := core.MustNew(core.WithDrainDelay(0), core.WithLogger(nil)) // 5s by default
	defer h.Close()
	gs := grpc.NewServer()
	hs, err := grpcprobe.Register(gs, h)
	if err != nil {
		panic(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	served := make(chan error, 1)
	go func() { served <- gs.Serve(ln) }()
	if err := h.Start(context.Background()); err != nil {
		panic(err)
	}

	conn, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	stream, err := healthpb.NewHealthClient(conn).Watch(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil {
		panic(err)
	}
	m, err := stream.Recv()
	if err != nil {
		panic(err)
	}
	fmt.Println("watch:", m.GetStatus())

	// On SIGTERM. The open Watch stream does not hold GracefulStop up.
	err = h.DrainAndShutdown(context.Background(), hs.Shutdowner(gs))
	fmt.Println("shutdown:", err, <-served)
	for {
		m, err := stream.Recv()
		if err != nil {
			fmt.Println("watch ended:", status.Code(err))
			break
		}
		fmt.Println("watch:", m.GetStatus())
	}
	// Output:
	// watch: SERVING
	// shutdown: <nil> <nil>
	// watch: NOT_SERVING
	// watch ended: Unavailable
}

func ExampleIsProbe() {
	// The start of an auth interceptor that lets the health service
	// through: Kubernetes' gRPC probes send no credentials.
	auth := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		if grpcprobe.IsProbe(info.FullMethod) {
			return next(ctx, req)
		}
		return nil, status.Error(codes.Unauthenticated, "missing token") // check the token here
	}
	_ = grpc.NewServer(grpc.ChainUnaryInterceptor(auth))

	for _, m := range []string{"/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/List", "/shop.v1.Orders/Create"} {
		fmt.Println(m, grpcprobe.IsProbe(m))
	}
	// Output:
	// /grpc.health.v1.Health/Check true
	// /grpc.health.v1.Health/List true
	// /shop.v1.Orders/Create false
}
