package grpcprobe_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/probekit/probekit/adapters/grpcprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// goroutines is a process-local liveness check.
var goroutines = core.CheckerFunc(func(context.Context) error {
	if n := runtime.NumGoroutine(); n > 100_000 {
		return fmt.Errorf("%d goroutines", n)
	}
	return nil
})

// newApp starts a Health like an app's: a critical Redis check (also for
// startup), a process-local liveness check and a non-critical cache check
// on an address nothing listens on, and serves it.
func newApp(t *testing.T, redisAddr string, opts ...grpcprobe.Option) *env {
	t.Helper()
	h := testenv.NewHealth(t,
		core.WithCheck("redis", testenv.RedisPing(redisAddr), fast(core.ForProbes(core.Readiness|core.Startup))...),
		core.WithCheck("goroutines", goroutines, fast(core.ForProbes(core.Liveness))...),
		core.WithCheck("cache", testenv.RedisPing(testenv.FreeAddr(t)), fast(core.Critical(false))...),
	)
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return serve(t, h, opts...)
}

func TestCheckServices(t *testing.T) {
	t.Parallel()
	e := newApp(t, testenv.RedisAddr(t))
	e.eventually(t, "", serving)
	waitResult(t, e.h, "cache", core.StatusUnhealthy)
	e.eventually(t, "", serving)

	tests := []struct {
		service string
		want    healthpb.HealthCheckResponse_ServingStatus
	}{
		{service: "", want: serving},          // readiness is degraded (cache fails): still serving
		{service: "readiness", want: serving}, // the same
		{service: "liveness", want: serving},
		{service: "startup", want: serving},
		{service: "redis", want: serving},
		{service: "goroutines", want: serving},
		{service: "cache", want: notServing},
	}
	for _, tt := range tests {
		e.wantNow(t, tt.service, tt.want)
	}
	if got := e.h.Status(core.Readiness); got != core.StatusDegraded {
		t.Errorf("Status(Readiness) = %v; want degraded", got)
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	e := newApp(t, testenv.RedisAddr(t))
	waitResult(t, e.h, "cache", core.StatusUnhealthy)
	e.eventually(t, "", serving)

	resp, err := e.client.List(context.Background(), &healthpb.HealthListRequest{})
	if err != nil {
		t.Fatalf("List() error = %v", err)
	}
	got := make(map[string]healthpb.HealthCheckResponse_ServingStatus)
	for name, st := range resp.GetStatuses() {
		got[name] = st.GetStatus()
	}
	want := map[string]healthpb.HealthCheckResponse_ServingStatus{
		"": serving, "readiness": serving, "liveness": serving, "startup": serving,
		"redis": serving, "goroutines": serving, "cache": notServing,
	}
	if !maps.Equal(got, want) {
		t.Errorf("List() = %v; want %v", got, want)
	}
}

func TestRenamedServices(t *testing.T) {
	t.Parallel()
	e := newApp(t, testenv.RedisAddr(t),
		grpcprobe.LivenessService("live"), grpcprobe.ReadinessService("ready"), grpcprobe.StartupService("started"))
	e.eventually(t, "", serving)
	for _, service := range []string{"live", "ready", "started"} {
		e.wantNow(t, service, serving)
	}
	for _, service := range []string{"liveness", "readiness", "startup"} {
		if _, err := e.check(service); status.Code(err) != codes.NotFound {
			t.Errorf("Check(%q) error = %v; want NotFound", service, err)
		}
	}
}

func TestUnknownService(t *testing.T) {
	t.Parallel()
	e := newApp(t, testenv.RedisAddr(t))
	e.eventually(t, "", serving)

	for _, service := range []string{"nope", "Liveness", "redis ", "grpc.health.v1.Health", "/readyz"} {
		_, err := e.check(service)
		if status.Code(err) != codes.NotFound {
			t.Errorf("Check(%q) error = %v; want code NotFound", service, err)
		}
	}
	w := e.watch(t, "nope")
	w.expect(t, unknown) // and the stream stays open, as grpc-go's server keeps it
	w.expectQuiet(t)
}

// TestWatchFollowsRedis takes a test-owned Redis down and up again and
// watches the services follow it.
func TestWatchFollowsRedis(t *testing.T) {
	t.Parallel()
	srv := testenv.StartRedis(t)
	e := newApp(t, srv.Addr())
	e.eventually(t, "", serving)

	all, ready, redis, live := e.watch(t, ""), e.watch(t, "readiness"), e.watch(t, "redis"), e.watch(t, "liveness")
	for _, w := range []*watcher{all, ready, redis, live} {
		w.expect(t, serving)
	}

	srv.Stop()
	for _, w := range []*watcher{all, ready, redis} {
		w.expect(t, notServing)
	}
	e.wantNow(t, "liveness", serving)
	e.wantNow(t, "startup", serving) // passed once: stays passed
	e.wantNow(t, "goroutines", serving)

	srv.Restart()
	for _, w := range []*watcher{all, ready, redis} {
		w.expect(t, serving)
	}
	live.expectQuiet(t) // liveness never changed
}

func TestStartupService(t *testing.T) {
	t.Parallel()
	srv := testenv.StartRedis(t)
	srv.Stop() // down from the start
	e := newApp(t, srv.Addr())
	waitResult(t, e.h, "redis", core.StatusUnhealthy)
	e.eventually(t, "redis", notServing)

	e.wantNow(t, "startup", notServing)
	e.wantNow(t, "readiness", notServing)
	e.wantNow(t, "liveness", serving)

	srv.Restart()
	e.eventually(t, "startup", serving)
	waitResult(t, e.h, "cache", core.StatusUnhealthy)
	e.eventually(t, "", serving)

	srv.Stop()
	e.eventually(t, "", notServing)
	e.wantNow(t, "startup", serving) // startup passes for good once it has passed
}

// TestRegisterBeforeStart registers the service on a Health that is not
// started yet: it answers from the Health's state then, and follows it
// once started.
func TestRegisterBeforeStart(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t,
		core.WithCheck("redis", testenv.RedisPing(testenv.RedisAddr(t)), fast(core.ForProbes(core.Readiness|core.Startup))...),
	)
	e := serve(t, h)

	tests := []struct {
		service string
		want    healthpb.HealthCheckResponse_ServingStatus
	}{
		{service: "", want: notServing},          // starting
		{service: "readiness", want: notServing}, // starting
		{service: "liveness", want: serving},     // liveness does not wait for checks
		{service: "startup", want: notServing},
		{service: "redis", want: notServing}, // no result yet
	}
	for _, tt := range tests {
		e.wantNow(t, tt.service, tt.want)
	}
	w := e.watch(t, "")
	w.expect(t, notServing)

	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.expect(t, serving)
	for _, service := range []string{"readiness", "liveness", "startup", "redis"} {
		e.wantNow(t, service, serving)
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	nop := core.CheckerFunc(func(context.Context) error { return nil })
	tests := []struct {
		name     string
		checks   []string
		opts     []grpcprobe.Option
		nilH     bool
		wantErr  error
		wantText []string
	}{
		{name: "defaults", checks: []string{"redis", "db"}},
		{name: "renamed around a check", checks: []string{"liveness"}, opts: []grpcprobe.Option{grpcprobe.LivenessService("live")}},
		{name: "nil health", nilH: true, wantErr: grpcprobe.ErrNilHealth},
		{
			name: "check named liveness", checks: []string{"db", "liveness"},
			wantErr:  grpcprobe.ErrDuplicateService,
			wantText: []string{`check "liveness"`, "liveness service", "grpcprobe.LivenessService"},
		},
		{
			name: "check named like a renamed service", checks: []string{"ready"},
			opts:     []grpcprobe.Option{grpcprobe.ReadinessService("ready")},
			wantErr:  grpcprobe.ErrDuplicateService,
			wantText: []string{`check "ready"`, "readiness service"},
		},
		{
			name:     "two probes, one name",
			opts:     []grpcprobe.Option{grpcprobe.LivenessService("probe"), grpcprobe.StartupService("probe")},
			wantErr:  grpcprobe.ErrDuplicateService,
			wantText: []string{`the liveness and startup services are both named "probe"`},
		},
		{
			name:     "empty name",
			opts:     []grpcprobe.Option{grpcprobe.ReadinessService("")},
			wantErr:  grpcprobe.ErrServiceName,
			wantText: []string{`readiness service ""`},
		},
		{
			name:     "slash",
			opts:     []grpcprobe.Option{grpcprobe.StartupService("a/b")},
			wantErr:  grpcprobe.ErrServiceName,
			wantText: []string{`startup service "a/b"`},
		},
		{
			name: "every error at once", checks: []string{"startup"},
			opts:     []grpcprobe.Option{grpcprobe.LivenessService(""), grpcprobe.ReadinessService("startup")},
			wantErr:  grpcprobe.ErrDuplicateService,
			wantText: []string{`liveness service ""`, "the readiness and startup services", `check "startup"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var h *core.Health
			if !tt.nilH {
				var opts []core.Option
				for _, name := range tt.checks {
					opts = append(opts, core.WithCheck(name, nop))
				}
				h = testenv.NewHealth(t, opts...)
			}
			s, err := grpcprobe.New(h, tt.opts...)
			if s != nil {
				t.Cleanup(s.Stop)
			}
			if tt.wantErr == nil {
				if err != nil || s == nil {
					t.Fatalf("New() = %v, %v; want a Server", s, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || s != nil {
				t.Fatalf("New() = %v, %v; want nil, %v", s, err, tt.wantErr)
			}
			for _, text := range tt.wantText {
				if !strings.Contains(err.Error(), text) {
					t.Errorf("New() error = %q; want it to say %q", err, text)
				}
			}
		})
	}
}

func TestIsProbe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give string
		want bool
	}{
		{give: "/grpc.health.v1.Health/Check", want: true},
		{give: "/grpc.health.v1.Health/Watch", want: true},
		{give: "/grpc.health.v1.Health/List", want: true},
		{give: "/grpc.health.v1.Health/check"},
		{give: "/grpc.health.v1.Health/"},
		{give: "/grpc.health.v1.Health/Check/"},
		{give: "grpc.health.v1.Health/Check"},
		{give: "/grpc.health.v2.Health/Check"},
		{give: "/probekit.demo.v1.Demo/WhoAmI"},
		{give: ""},
	}
	for _, tt := range tests {
		if got := grpcprobe.IsProbe(tt.give); got != tt.want {
			t.Errorf("IsProbe(%q) = %v; want %v", tt.give, got, tt.want)
		}
	}
}
