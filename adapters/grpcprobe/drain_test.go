package grpcprobe_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// TestDrain drains, resumes, holds and closes the Health: "" and
// readiness follow, liveness and the checks stay serving.
func TestDrain(t *testing.T) {
	t.Parallel()
	e := newApp(t, testenv.RedisAddr(t))
	e.eventually(t, "", serving)
	all, ready, live := e.watch(t, ""), e.watch(t, "readiness"), e.watch(t, "liveness")
	for _, w := range []*watcher{all, ready, live} {
		w.expect(t, serving)
	}

	e.h.Drain()
	all.expect(t, notServing)
	ready.expect(t, notServing)
	for _, service := range []string{"liveness", "startup", "redis", "goroutines"} {
		e.wantNow(t, service, serving)
	}

	e.h.Resume()
	all.expect(t, serving)
	ready.expect(t, serving)

	if err := e.h.Hold("warm-up", "filling caches"); err != nil {
		t.Fatal(err)
	}
	all.expect(t, notServing)
	e.h.Release("warm-up")
	all.expect(t, serving)

	// Close delivers every transition before it returns: no waiting.
	if err := e.h.Close(); err != nil {
		t.Fatal(err)
	}
	e.wantNow(t, "", notServing)
	e.wantNow(t, "readiness", notServing)
	e.wantNow(t, "liveness", serving)
	all.expect(t, notServing)
	ready.expect(t, notServing)
	live.expectQuiet(t)
}

// TestStop ends open Watch streams, which would otherwise keep
// GracefulStop waiting, and leaves every service NOT_SERVING.
func TestStop(t *testing.T) {
	t.Parallel()
	e := newApp(t, testenv.RedisAddr(t))
	e.eventually(t, "", serving)
	all, live, nope := e.watch(t, ""), e.watch(t, "liveness"), e.watch(t, "nope")
	all.expect(t, serving)
	live.expect(t, serving)
	nope.expect(t, unknown)

	e.hs.Stop()
	all.expect(t, notServing)
	all.expectEnd(t, "Unavailable")
	live.expect(t, notServing)
	live.expectEnd(t, "Unavailable")
	nope.expectEnd(t, "Unavailable") // still unknown: nothing more to say
	for _, service := range []string{"", "readiness", "liveness", "startup", "redis"} {
		e.wantNow(t, service, notServing)
	}

	// The Health no longer moves it, and a Watch started now ends at once.
	if err := e.h.Hold("x", ""); err != nil {
		t.Fatal(err)
	}
	e.h.Release("x")
	late := e.watch(t, "")
	late.expect(t, notServing)
	late.expectEnd(t, "Unavailable")
	e.wantNow(t, "", notServing)
	e.hs.Stop() // idempotent

	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		e.gs.GracefulStop()
	}()
	select {
	case <-stopped:
	case <-time.After(wait):
		t.Fatal("GracefulStop() did not return after Stop")
	}
}

// TestShutdowner runs the drain sequence of a SIGTERM with a Watch open.
func TestShutdowner(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t,
		core.WithCheck("redis", testenv.RedisPing(testenv.RedisAddr(t)), fast()...),
		core.WithDrainDelay(100*time.Millisecond))
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := serve(t, h)
	e.eventually(t, "", serving)
	all := e.watch(t, "")
	all.expect(t, serving)

	done := make(chan error, 1)
	go func() { done <- h.DrainAndShutdown(context.Background(), e.hs.Shutdowner(e.gs)) }()
	all.expect(t, notServing) // at once, while the server still serves
	all.expectEnd(t, "Unavailable")
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("DrainAndShutdown() = %v; want nil", err)
		}
	case <-time.After(wait):
		t.Fatal("DrainAndShutdown() did not return")
	}
	if _, err := e.check(""); status.Code(err) != codes.Unavailable {
		t.Errorf("Check(\"\") after shutdown: error = %v; want Unavailable", err)
	}
}

// TestShutdownerDeadline: an RPC that never ends keeps GracefulStop
// waiting; when ctx ends the server is stopped hard.
func TestShutdownerDeadline(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t, core.WithDrainDelay(0))
	hang := &hangServer{entered: make(chan struct{})}
	e := serveWith(t, h, func(gs *grpc.Server) { gs.RegisterService(&hangDesc, hang) })

	rpcDone := make(chan error, 1)
	go func() {
		rpcDone <- e.conn.Invoke(context.Background(), hangMethod, &emptypb.Empty{}, &emptypb.Empty{})
	}()
	select {
	case <-hang.entered:
	case <-time.After(wait):
		t.Fatal("the hanging RPC did not start")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := h.DrainAndShutdown(ctx, e.hs.Shutdowner(e.gs))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("DrainAndShutdown() = %v; want context.DeadlineExceeded", err)
	}
	if err := <-rpcDone; status.Code(err) != codes.Unavailable {
		t.Errorf("hanging RPC = %v; want Unavailable (server stopped)", err)
	}
}

const hangMethod = "/probekit.test.Hang/Hang"

// hangServer serves hangDesc: its one method waits until its RPC is
// cancelled.
type hangServer struct{ entered chan struct{} }

type hanger interface{ hang(ctx context.Context) }

func (s *hangServer) hang(ctx context.Context) {
	close(s.entered)
	<-ctx.Done()
}

var hangDesc = grpc.ServiceDesc{
	ServiceName: "probekit.test.Hang",
	HandlerType: (*hanger)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Hang",
		Handler: func(srv any, ctx context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			if err := dec(new(emptypb.Empty)); err != nil {
				return nil, err
			}
			srv.(hanger).hang(ctx)
			return nil, ctx.Err()
		},
	}},
}

// TestStopRace stops the Server while transitions are applied and Watch
// streams come and go, for the race detector.
func TestStopRace(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := serve(t, h)
	e.eventually(t, "", serving)

	var wg sync.WaitGroup
	stop := make(chan struct{})
	seen := make(chan struct{}, 8)
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			_ = h.Hold("flap", "")
			h.Release("flap")
		}
	})
	for range 8 {
		wg.Go(func() {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stream, err := e.client.Watch(ctx, &healthpb.HealthCheckRequest{})
			if err != nil {
				return
			}
			for n := 0; ; n++ {
				if _, err := stream.Recv(); err != nil {
					return
				}
				if n == 2 { // the flapping is seen
					seen <- struct{}{}
				}
			}
		})
	}
	for range 8 {
		select {
		case <-seen:
		case <-time.After(wait):
			t.Fatal("a Watch did not see the flapping")
		}
	}
	e.hs.Stop()
	close(stop)
	wg.Wait() // every Watch ended by Stop
	e.wantNow(t, "", notServing)
}
