package grpcprobe_test

import (
	"context"
	"net"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/probekit/probekit/internal/testenv"
)

// fanoutStreams is how many Watch streams BenchmarkWatchFanout keeps open.
const fanoutStreams = 100

// BenchmarkWatchFanout measures one status change of the "" service, from
// the call that makes it to the moment all 100 Watch streams on one real
// loopback connection have received it: ns/op is per change, allocs/op
// counts client and server. "probekit" changes it with h.Hold and
// h.Release (publish, render, the Health's listener goroutine, grpcprobe,
// grpc-go's health server); "bare" calls grpc-go's
// health.Server.SetServingStatus directly, for reference.
func BenchmarkWatchFanout(b *testing.B) {
	b.Run("probekit", func(b *testing.B) {
		h := testenv.NewHealth(b)
		if err := h.Start(context.Background()); err != nil {
			b.Fatal(err)
		}
		e := serve(b, h)
		held := false
		fanout(b, e.client, func() {
			if held {
				h.Release("bench")
			} else {
				_ = h.Hold("bench", "")
			}
			held = !held
		})
	})
	b.Run("bare", func(b *testing.B) {
		hs := health.NewServer()
		client := serveBare(b, hs)
		st := healthpb.HealthCheckResponse_SERVING
		fanout(b, client, func() {
			st ^= healthpb.HealthCheckResponse_SERVING ^ healthpb.HealthCheckResponse_NOT_SERVING
			hs.SetServingStatus("", st)
		})
	})
}

// fanout opens fanoutStreams Watch streams on "" and times change until
// every stream has received its result.
func fanout(b *testing.B, client healthpb.HealthClient, change func()) {
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan struct{}, fanoutStreams)
	done := make(chan struct{})
	for range fanoutStreams {
		stream, err := client.Watch(ctx, &healthpb.HealthCheckRequest{})
		if err != nil {
			b.Fatal(err)
		}
		go func() {
			defer func() { done <- struct{}{} }()
			for {
				if _, err := stream.Recv(); err != nil {
					return
				}
				got <- struct{}{}
			}
		}()
	}
	defer func() {
		cancel()
		for range fanoutStreams {
			<-done
		}
	}()
	for range fanoutStreams { // the initial SERVING
		<-got
	}
	b.ReportAllocs()
	for b.Loop() {
		change()
		for range fanoutStreams {
			<-got
		}
	}
}

// BenchmarkCheck measures one unary Check RPC on "" over a real loopback
// connection, through grpcprobe and, for reference, through a bare grpc-go
// health server.
func BenchmarkCheck(b *testing.B) {
	b.Run("probekit", func(b *testing.B) {
		h := testenv.NewHealth(b)
		if err := h.Start(context.Background()); err != nil {
			b.Fatal(err)
		}
		e := serve(b, h)
		e.eventually(b, "", serving)
		benchCheck(b, e.client)
	})
	b.Run("bare", func(b *testing.B) {
		benchCheck(b, serveBare(b, health.NewServer()))
	})
}

func benchCheck(b *testing.B, client healthpb.HealthClient) {
	ctx := context.Background()
	req := &healthpb.HealthCheckRequest{}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Check(ctx, req)
		if err != nil || resp.GetStatus() != serving {
			b.Fatalf("Check() = %v, %v; want SERVING", resp.GetStatus(), err)
		}
	}
}

// serveBare serves hs on a gRPC server of its own on loopback and returns
// a client connected to it.
func serveBare(b *testing.B, hs *health.Server) healthpb.HealthClient {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	gs := grpc.NewServer()
	healthpb.RegisterHealthServer(gs, hs)
	served := make(chan error, 1)
	go func() { served <- gs.Serve(ln) }()
	conn, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = conn.Close()
		gs.Stop()
		<-served
	})
	return healthpb.NewHealthClient(conn)
}
