package grpccheck_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/probekit/probekit/core/checks/grpccheck"
	"github.com/probekit/probekit/internal/testenv"
)

// TestCheckStatuses asks a real upstream about its services, all on the
// app's one connection.
func TestCheckStatuses(t *testing.T) {
	t.Parallel()
	u := startUpstream(t, true)
	conn := dial(t, u.addr)
	u.health.SetServingStatus("shop.v1.Orders", healthpb.HealthCheckResponse_SERVING)
	u.health.SetServingStatus("shop.v1.Stock", healthpb.HealthCheckResponse_NOT_SERVING)
	up := `grpccheck: upstream "` + u.addr + `"`

	tests := []struct {
		name     string
		give     func()
		opts     []grpccheck.Option
		wantErr  error
		wantCode codes.Code
		wantText string
	}{
		{name: "overall serving", give: func() {}},
		{name: "service serving", opts: []grpccheck.Option{grpccheck.Service("shop.v1.Orders")}},
		{
			name: "service not serving", opts: []grpccheck.Option{grpccheck.Service("shop.v1.Stock")},
			wantErr: grpccheck.ErrNotServing, wantText: up + ` service "shop.v1.Stock": NOT_SERVING`,
		},
		{
			name: "unknown service", opts: []grpccheck.Option{grpccheck.Service("shop.v1.Nope")},
			wantErr: grpccheck.ErrServiceUnknown, wantCode: codes.NotFound,
			wantText: up + ` service "shop.v1.Nope": SERVICE_UNKNOWN`,
		},
		{
			name:    "overall not serving",
			give:    func() { u.health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING) },
			wantErr: grpccheck.ErrNotServing, wantText: up + `: NOT_SERVING`,
		},
		{
			name:    "overall back",
			give:    func() { u.health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING) },
			wantErr: nil,
		},
		{
			name:    "shut down",
			give:    u.health.Shutdown,
			opts:    []grpccheck.Option{grpccheck.Service("shop.v1.Orders")},
			wantErr: grpccheck.ErrNotServing, wantText: up + ` service "shop.v1.Orders": NOT_SERVING`,
		},
	}
	for _, tt := range tests { // in order: each step changes the upstream
		if tt.give != nil {
			tt.give()
		}
		err := testenv.CheckWithin(grpccheck.New(conn, tt.opts...), wait)
		if tt.wantErr == nil {
			if err != nil {
				t.Errorf("%s: Check() = %v; want nil", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, tt.wantErr) || errText(err) != tt.wantText {
			t.Errorf("%s: Check() = %v; want %q wrapping %v", tt.name, errText(err), tt.wantText, tt.wantErr)
		}
		if tt.wantCode != codes.OK && status.Code(err) != tt.wantCode {
			t.Errorf("%s: status.Code(Check()) = %v; want %v", tt.name, status.Code(err), tt.wantCode)
		}
	}
	if n := u.accepted.Load(); n != 1 {
		t.Errorf("upstream accepted %d connections; want 1 (the app's)", n)
	}
}

// TestCheckUpstreamStopped stops the upstream and serves it again on the
// same port: the check fails with Unavailable and recovers on the same
// connection.
func TestCheckUpstreamStopped(t *testing.T) {
	t.Parallel()
	u := startUpstream(t, true)
	chk := grpccheck.New(dial(t, u.addr))
	if err := testenv.CheckWithin(chk, wait); err != nil {
		t.Fatalf("Check() = %v; want nil", err)
	}

	u.stop()
	err := testenv.CheckWithin(chk, wait)
	prefix := `grpccheck: upstream "` + u.addr + `": unavailable: `
	if !errors.Is(err, grpccheck.ErrUnavailable) || status.Code(err) != codes.Unavailable || !strings.HasPrefix(errText(err), prefix) {
		t.Fatalf("Check() = %v; want Unavailable, starting %q", errText(err), prefix)
	}

	u.restart(t)
	testenv.Eventually(t, wait, func() error { return testenv.CheckWithin(chk, time.Second) })
}

// TestCheckHungUpstream puts a proxy that blackholes everything between
// the app and the upstream: Check returns at its deadline.
func TestCheckHungUpstream(t *testing.T) {
	t.Parallel()
	u := startUpstream(t, true)
	proxy := testenv.NewProxy(t, u.addr)
	chk := grpccheck.New(dial(t, proxy.Addr()))
	if err := testenv.CheckWithin(chk, wait); err != nil {
		t.Fatalf("Check() = %v; want nil", err)
	}

	proxy.Blackhole()
	start := time.Now()
	err := testenv.CheckWithin(chk, testenv.HangDeadline)
	elapsed := time.Since(start)
	want := `grpccheck: upstream "` + proxy.Addr() + `": context deadline exceeded`
	if !errors.Is(err, context.DeadlineExceeded) || errText(err) != want {
		t.Fatalf("Check() = %v; want %q wrapping context.DeadlineExceeded", errText(err), want)
	}
	if elapsed < testenv.HangDeadline {
		t.Errorf("Check() returned after %v; want at its deadline, %v", elapsed, testenv.HangDeadline)
	}
	t.Logf("Check() against a blackhole returned after %v (deadline %v)", elapsed, testenv.HangDeadline)

	proxy.Pass()
	testenv.Eventually(t, wait, func() error { return testenv.CheckWithin(chk, time.Second) })
}

func TestCheckNoHealthService(t *testing.T) {
	t.Parallel()
	u := startUpstream(t, false)
	err := testenv.CheckWithin(grpccheck.New(dial(t, u.addr)), wait)
	want := `grpccheck: upstream "` + u.addr + `": no health service (Unimplemented)`
	if !errors.Is(err, grpccheck.ErrNoHealthService) || status.Code(err) != codes.Unimplemented || errText(err) != want {
		t.Errorf("Check() = %v; want %q", errText(err), want)
	}
}

// tokenCreds sends a Bearer token, also over an insecure connection.
type tokenCreds string

func (c tokenCreds) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(c)}, nil
}

func (tokenCreds) RequireTransportSecurity() bool { return false }

func TestCheckCallOptions(t *testing.T) {
	t.Parallel()
	const token = "s3cret-token"
	auth := func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		md, _ := metadata.FromIncomingContext(ctx)
		if got := md.Get("authorization"); len(got) != 1 || got[0] != "Bearer "+token {
			return nil, status.Error(codes.Unauthenticated, "missing or wrong token")
		}
		return next(ctx, req)
	}
	u := startUpstream(t, true, grpc.UnaryInterceptor(auth))
	conn := dial(t, u.addr)

	err := testenv.CheckWithin(grpccheck.New(conn), wait)
	want := `grpccheck: upstream "` + u.addr + `": Unauthenticated: missing or wrong token`
	if status.Code(err) != codes.Unauthenticated || errText(err) != want {
		t.Errorf("Check() without credentials = %v; want %q", errText(err), want)
	}
	wrong := testenv.CheckWithin(grpccheck.New(conn, grpccheck.CallOptions(grpc.PerRPCCredentials(tokenCreds("wrong-"+token)))), wait)
	if wrong == nil || strings.Contains(wrong.Error(), token) {
		t.Errorf("Check() with a wrong token = %v; want an error without the token", errText(wrong))
	}
	if err := testenv.CheckWithin(grpccheck.New(conn, grpccheck.CallOptions(grpc.PerRPCCredentials(tokenCreds(token)))), wait); err != nil {
		t.Errorf("Check() with credentials = %v; want nil", err)
	}
}

func TestCheckContextDone(t *testing.T) {
	t.Parallel()
	u := startUpstream(t, true)
	chk := grpccheck.New(dial(t, u.addr))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()

	err := chk.Check(ctx)
	want := `grpccheck: upstream "` + u.addr + `": context canceled`
	if !errors.Is(err, context.Canceled) || errText(err) != want {
		t.Errorf("Check(canceled) = %v; want %q", errText(err), want)
	}
	if n := u.accepted.Load(); n != 0 {
		t.Errorf("upstream accepted %d connections; want 0 (no call made)", n)
	}
}

func TestNewNilConn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		give grpc.ClientConnInterface
	}{
		{name: "nil", give: nil},
		{name: "nil *ClientConn", give: (*grpc.ClientConn)(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			testenv.WantPanic(t, "New("+tt.name+")", func() { grpccheck.New(tt.give) })
		})
	}
}

// TestCheckPanickingInterceptor: a client interceptor that panics fails
// the check with the panic's text instead of crashing the app.
func TestCheckPanickingInterceptor(t *testing.T) {
	t.Parallel()
	u := startUpstream(t, true)
	boom := func(context.Context, string, any, any, *grpc.ClientConn, grpc.UnaryInvoker, ...grpc.CallOption) error {
		panic("boom")
	}
	err := testenv.CheckWithin(grpccheck.New(dial(t, u.addr, grpc.WithUnaryInterceptor(boom))), wait)
	want := `grpccheck: upstream "` + u.addr + `": check panic: boom`
	if errText(err) != want {
		t.Errorf("Check() = %v; want %q", errText(err), want)
	}
}
