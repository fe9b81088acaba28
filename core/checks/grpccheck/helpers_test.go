package grpccheck_test

import (
	"net"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// wait bounds every condition the tests wait for.
const wait = 10 * time.Second

// upstream is a real gRPC server on loopback with grpc-go's health server,
// counting the connections it accepts.
type upstream struct {
	addr     string
	health   *health.Server // nil without the health service
	gs       *grpc.Server
	accepted atomic.Int64
	served   chan struct{} // closed when Serve returns
}

// startUpstream starts an upstream on a free loopback port, with the
// health service unless withHealth is false; it is stopped when the test
// ends.
func startUpstream(t *testing.T, withHealth bool, opts ...grpc.ServerOption) *upstream {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := &upstream{addr: ln.Addr().String()}
	if withHealth {
		u.health = health.NewServer()
	}
	u.serve(t, ln, opts...)
	return u
}

func (u *upstream) serve(t *testing.T, ln net.Listener, opts ...grpc.ServerOption) {
	u.gs = grpc.NewServer(opts...)
	if u.health != nil {
		healthpb.RegisterHealthServer(u.gs, u.health)
	}
	u.served = make(chan struct{})
	gs, served := u.gs, u.served
	go func() {
		defer close(served)
		_ = gs.Serve(&countingListener{Listener: ln, n: &u.accepted})
	}()
	t.Cleanup(func() {
		gs.Stop()
		<-served
	})
}

// stop stops the upstream: from then on its port refuses connections.
func (u *upstream) stop() {
	u.gs.Stop()
	<-u.served
}

// restart serves again on the same address, with the same health server.
func (u *upstream) restart(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", u.addr)
	if err != nil {
		t.Fatalf("listen again on %s: %v", u.addr, err)
	}
	u.serve(t, ln)
}

type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

// dial returns the app's connection to addr, closed when the test ends.
// Its reconnect backoff is short, so that a test sees a recovery soon.
func dial(t *testing.T, addr string, opts ...grpc.DialOption) *grpc.ClientConn {
	t.Helper()
	bo := backoff.DefaultConfig
	bo.BaseDelay, bo.MaxDelay = 50*time.Millisecond, 200*time.Millisecond
	conn, err := grpc.NewClient(addr, append([]grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithConnectParams(grpc.ConnectParams{Backoff: bo, MinConnectTimeout: time.Second}),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// errText returns err's text, or "<nil>".
func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
