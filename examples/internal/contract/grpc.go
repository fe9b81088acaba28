package contract

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

const (
	serving    = healthpb.HealthCheckResponse_SERVING
	notServing = healthpb.HealthCheckResponse_NOT_SERVING
	// noAnswer stands for a failed Check call in grpcStatus.
	noAnswer = healthpb.HealthCheckResponse_ServingStatus(-1)
)

// whoamiMethod is examples/grpc's own RPC.
const whoamiMethod = "/probekit.demo.v1.Whoami/Get"

// grpcCheck calls grpc.health.v1.Health/Check for service, without
// credentials, as a kubelet does.
func (a *app) grpcCheck(service string) (healthpb.HealthCheckResponse_ServingStatus, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	resp, err := healthpb.NewHealthClient(a.conn).Check(ctx, &healthpb.HealthCheckRequest{Service: service})
	if err != nil {
		return noAnswer, err
	}
	return resp.GetStatus(), nil
}

// grpcStatus is grpcCheck's status, noAnswer on an error.
func (a *app) grpcStatus(service string) healthpb.HealthCheckResponse_ServingStatus {
	st, _ := a.grpcCheck(service)
	return st
}

// expectGRPC asserts the status of each service. The gRPC health server
// follows the Health through its listener, a moment after the HTTP probes
// change, so it polls for the status (the HTTP answers are read at once).
func (a *app) expectGRPC(want healthpb.HealthCheckResponse_ServingStatus, services ...string) {
	a.t.Helper()
	for _, s := range services {
		a.eventually(fmt.Sprintf("gRPC Check(%q) = %v", s, want), func() bool {
			got, _ := a.grpcCheck(s)
			return got == want
		})
	}
}

// whoami calls examples/grpc's own RPC with token (none when empty).
func (a *app) whoami(token string) (string, codes.Code) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if token != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
	}
	var out wrapperspb.StringValue
	err := a.conn.Invoke(ctx, whoamiMethod, &emptypb.Empty{}, &out)
	return out.GetValue(), status.Code(err)
}

// expectWhoami asserts the outcome of the gRPC API call.
func (a *app) expectWhoami(token string, wantCode codes.Code) {
	a.t.Helper()
	user, code := a.whoami(token)
	if code != wantCode || (code == codes.OK && user != "demo") {
		a.t.Errorf("%s (token %v) = %q, %v; want %v", whoamiMethod, token != "", user, code, wantCode)
	}
}

// watcher is an open grpc.health.v1 Watch stream.
type watcher struct {
	a       *app
	service string
	ch      chan healthpb.HealthCheckResponse_ServingStatus // closed when the stream ends
}

// watch opens a Watch stream on service, without credentials, and checks
// its first status; the stream ends with the test.
func (a *app) watch(service string, first healthpb.HealthCheckResponse_ServingStatus) *watcher {
	a.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a.t.Cleanup(cancel)
	stream, err := healthpb.NewHealthClient(a.conn).Watch(ctx, &healthpb.HealthCheckRequest{Service: service})
	if err != nil {
		a.t.Fatalf("Watch(%q): %v", service, err)
	}
	w := &watcher{a: a, service: service, ch: make(chan healthpb.HealthCheckResponse_ServingStatus, 64)}
	go func() {
		defer close(w.ch)
		for {
			m, err := stream.Recv()
			if err != nil {
				return
			}
			w.ch <- m.GetStatus()
		}
	}()
	w.next(first)
	return w
}

// next asserts the stream's next status.
func (w *watcher) next(want healthpb.HealthCheckResponse_ServingStatus) {
	w.a.t.Helper()
	select {
	case got, ok := <-w.ch:
		if !ok {
			w.a.t.Fatalf("Watch(%q) ended; want %v", w.service, want)
		}
		if got != want {
			w.a.t.Fatalf("Watch(%q) sent %v; want %v", w.service, got, want)
		}
	case <-time.After(wait):
		w.a.t.Fatalf("Watch(%q) sent nothing within %v; want %v", w.service, wait, want)
	}
}
