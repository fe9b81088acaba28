package grpcprobe_test

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/probekit/probekit/adapters/grpcprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// wait bounds every condition the tests wait for; a healthy machine meets
// each within a few hundred milliseconds.
const wait = 10 * time.Second

const (
	serving    = healthpb.HealthCheckResponse_SERVING
	notServing = healthpb.HealthCheckResponse_NOT_SERVING
	unknown    = healthpb.HealthCheckResponse_SERVICE_UNKNOWN
)

// fast makes a check notice an outage at its first failed run.
func fast(opts ...core.CheckOption) []core.CheckOption {
	return append([]core.CheckOption{
		core.Interval(50 * time.Millisecond),
		core.Timeout(200 * time.Millisecond),
		core.FailureThreshold(1),
	}, opts...)
}

// env is a Health served by grpcprobe on a real gRPC server on loopback,
// and a client connected to it.
type env struct {
	h      *core.Health
	hs     *grpcprobe.Server
	gs     *grpc.Server
	conn   *grpc.ClientConn
	client healthpb.HealthClient
}

// serve registers h on a new gRPC server listening on 127.0.0.1 and
// connects a client to it. Everything is stopped when the test ends; h is
// not started.
func serve(t testing.TB, h *core.Health, opts ...grpcprobe.Option) *env {
	t.Helper()
	return serveWith(t, h, nil, opts...)
}

// serveWith is serve with register called to add services of the test's
// own to the gRPC server before it serves.
func serveWith(t testing.TB, h *core.Health, register func(*grpc.Server), opts ...grpcprobe.Option) *env {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer()
	if register != nil {
		register(gs)
	}
	hs, err := grpcprobe.Register(gs, h, opts...)
	if err != nil {
		t.Fatalf("Register() error = %v", err)
	}
	served := make(chan error, 1)
	go func() { served <- gs.Serve(ln) }()
	conn, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		hs.Stop()
		gs.Stop()
		if err := <-served; err != nil {
			t.Errorf("Serve() = %v; want nil", err)
		}
	})
	return &env{h: h, hs: hs, gs: gs, conn: conn, client: healthpb.NewHealthClient(conn)}
}

// check calls Check for service with a deadline of wait.
func (e *env) check(service string) (healthpb.HealthCheckResponse_ServingStatus, error) {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	resp, err := e.client.Check(ctx, &healthpb.HealthCheckRequest{Service: service})
	return resp.GetStatus(), err
}

// wantNow fails the test unless Check(service) answers want.
func (e *env) wantNow(t testing.TB, service string, want healthpb.HealthCheckResponse_ServingStatus) {
	t.Helper()
	if got, err := e.check(service); err != nil || got != want {
		t.Errorf("Check(%q) = %v, %v; want %v", service, got, err, want)
	}
}

// eventually waits until Check(service) answers want.
func (e *env) eventually(t testing.TB, service string, want healthpb.HealthCheckResponse_ServingStatus) {
	t.Helper()
	testenv.Eventually(t, wait, func() error {
		got, err := e.check(service)
		if err != nil || got != want {
			return fmt.Errorf("Check(%q) = %v, %v; want %v", service, got, err, want)
		}
		return nil
	})
}

// waitResult waits until check name of h has a result of status want.
func waitResult(t testing.TB, h *core.Health, name string, want core.Status) {
	t.Helper()
	testenv.Eventually(t, wait, func() error {
		for _, st := range h.Checks() {
			if st.Name == name && st.Runs > 0 && st.Status == want {
				return nil
			}
		}
		return fmt.Errorf("check %s has no %v result", name, want)
	})
}

// watcher is an open Watch stream whose messages are collected by a
// goroutine of its own.
type watcher struct {
	service string
	ch      chan healthpb.HealthCheckResponse_ServingStatus // closed when the stream ends
	err     error                                           // why it ended; read after ch is closed
}

// watch opens a Watch stream for service; it is closed when the test ends.
func (e *env) watch(t testing.TB, service string) *watcher {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stream, err := e.client.Watch(ctx, &healthpb.HealthCheckRequest{Service: service})
	if err != nil {
		cancel()
		t.Fatalf("Watch(%q) error = %v", service, err)
	}
	w := &watcher{service: service, ch: make(chan healthpb.HealthCheckResponse_ServingStatus, 64)}
	go func() {
		defer close(w.ch)
		for {
			m, err := stream.Recv()
			if err != nil {
				w.err = err
				return
			}
			w.ch <- m.GetStatus()
		}
	}()
	t.Cleanup(func() {
		cancel()
		for range w.ch {
		}
	})
	return w
}

// expect fails the test unless the next statuses received are want, in
// order.
func (w *watcher) expect(t testing.TB, want ...healthpb.HealthCheckResponse_ServingStatus) {
	t.Helper()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for i, st := range want {
		select {
		case got, ok := <-w.ch:
			if !ok {
				t.Fatalf("Watch(%q) message %d: stream ended (%v); want %v", w.service, i, w.err, st)
			}
			if got != st {
				t.Fatalf("Watch(%q) message %d = %v; want %v", w.service, i, got, st)
			}
		case <-timer.C:
			t.Fatalf("Watch(%q) message %d: none within %v; want %v", w.service, i, wait, st)
		}
	}
}

// expectEnd fails the test unless the stream ends, with no further
// message, with an error of status code want.
func (w *watcher) expectEnd(t testing.TB, want string) {
	t.Helper()
	select {
	case got, ok := <-w.ch:
		if ok {
			t.Fatalf("Watch(%q) sent %v; want the stream to end", w.service, got)
		}
		if code := status.Code(w.err).String(); code != want {
			t.Fatalf("Watch(%q) ended with %v; want code %s", w.service, w.err, want)
		}
	case <-time.After(wait):
		t.Fatalf("Watch(%q) did not end within %v", w.service, wait)
	}
}

// expectQuiet fails the test if a message is waiting.
func (w *watcher) expectQuiet(t testing.TB) {
	t.Helper()
	select {
	case got, ok := <-w.ch:
		t.Errorf("Watch(%q) sent %v (open %v); want no further message", w.service, got, ok)
	default:
	}
}
