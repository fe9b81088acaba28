package core_test

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/testenv"
)

func TestStartTwiceAndAfterClose(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := mustNew(t, core.WithCheck("db", &switchable{}), core.WithLogger(nil))
		if err := h.Start(context.Background()); err != nil {
			t.Fatalf("Start() = %v; want nil", err)
		}
		if err := h.Start(context.Background()); !errors.Is(err, core.ErrStarted) {
			t.Errorf("second Start() = %v; want ErrStarted", err)
		}
		if err := h.Close(); err != nil {
			t.Errorf("Close() = %v; want nil", err)
		}
		if err := h.Close(); err != nil {
			t.Errorf("second Close() = %v; want nil", err)
		}
		if err := h.Start(context.Background()); !errors.Is(err, core.ErrClosed) {
			t.Errorf("Start() after Close = %v; want ErrClosed", err)
		}
	})
}

func TestCloseWithoutStart(t *testing.T) {
	t.Parallel()
	h := mustNew(t, core.WithCheck("db", &switchable{}), core.WithLogger(nil))
	if err := h.Close(); err != nil {
		t.Fatalf("Close() = %v; want nil", err)
	}
	if got := h.Status(core.Readiness); got != core.StatusDraining {
		t.Errorf("readiness after Close = %v; want draining", got)
	}
	if got := h.Status(core.Liveness); got != core.StatusHealthy {
		t.Errorf("liveness after Close = %v; want ok", got)
	}
}

func TestCloseStopsEveryGoroutine(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// synctest.Test itself fails if a goroutine started in the bubble
		// outlives it; this also checks that runs stop being scheduled.
		chk := &switchable{}
		h := mustNew(t, core.WithCheck("a", chk, core.Interval(time.Second)), core.WithCheck("b", &switchable{}),
			core.WithLogger(nil))
		h.Listen(func(core.Event) {})
		_ = h.Start(context.Background())
		step(3 * time.Second)
		_ = h.Close()
		runs := chk.runs.Load()
		step(time.Minute)
		if got := chk.runs.Load(); got != runs {
			t.Errorf("runs after Close = %d; want %d (no more runs)", got, runs)
		}
	})
}

func TestCloseDuringHungCheck(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		hung := core.CheckerFunc(func(ctx context.Context) error {
			<-release // ignores ctx
			return nil
		})
		honours := core.CheckerFunc(func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		})
		h := mustNew(t, core.WithCheck("hung", hung, core.Timeout(time.Second)),
			core.WithCheck("slow", honours, core.Timeout(time.Hour)), core.WithLogger(nil))
		_ = h.Start(context.Background())
		step(2 * time.Second) // hung is abandoned, slow is in flight
		closed := make(chan struct{})
		go func() {
			_ = h.Close()
			close(closed)
		}()
		synctest.Wait()
		select {
		case <-closed:
		default:
			t.Fatal("Close did not return while a check ignored its context: it must not wait for abandoned runs")
		}
		if got := h.Status(core.Readiness); got != core.StatusDraining {
			t.Errorf("readiness after Close = %v; want draining", got)
		}
		close(release) // the abandoned run ends on its own
	})
}

func TestStartContextEndStopsChecks(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		chk := &switchable{}
		h := mustNew(t, core.WithCheck("db", chk, core.Interval(time.Second)), core.WithLogger(nil))
		ctx, cancel := context.WithCancel(context.Background())
		_ = h.Start(ctx)
		step(2 * time.Second)
		cancel()
		synctest.Wait()
		if got := h.Status(core.Readiness); got != core.StatusDraining {
			t.Errorf("readiness after Start's context ended = %v; want draining", got)
		}
		runs := chk.runs.Load()
		step(10 * time.Second)
		if chk.runs.Load() != runs {
			t.Error("checks still run after Start's context ended")
		}
	})
}

func TestDrain(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := mustNew(t, core.WithCheck("db", &switchable{}), core.WithLogger(nil))
		_ = h.Start(context.Background())
		synctest.Wait()
		h.Drain()
		if r := get(t, h, "/readyz"); r.StatusCode != 503 || decode(t, r).Status != "draining" {
			t.Errorf("GET /readyz while draining = %d; want 503 draining", r.StatusCode)
		}
		if r := get(t, h, "/healthz"); r.StatusCode != 200 {
			t.Errorf("GET /healthz while draining = %d; want 200", r.StatusCode)
		}
		if r := get(t, h, "/readyz/db"); r.StatusCode != 200 {
			t.Errorf("GET /readyz/db while draining = %d; want 200 (the check itself passes)", r.StatusCode)
		}
		if got := testenv.StripInfo(body(t, get(t, h, "/readyz?verbose"))); got != "[+]db ok\n[-]shutdown draining\nreadiness check failed\n" {
			t.Errorf("verbose while draining = %q", got)
		}
		h.Drain() // idempotent
		h.Resume()
		if r := get(t, h, "/readyz"); r.StatusCode != 200 {
			t.Errorf("GET /readyz after Resume = %d; want 200", r.StatusCode)
		}
	})
}

// fakeServer is a Shutdowner that records when it was shut down.
type fakeServer struct {
	at  time.Time
	err error
}

func (s *fakeServer) Shutdown(ctx context.Context) error {
	s.at = time.Now()
	return s.err
}

func TestDrainAndShutdown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		delay     time.Duration
		ctxAfter  time.Duration // 0: never
		wantAfter time.Duration
	}{
		{name: "waits the drain delay", delay: 5 * time.Second, wantAfter: 5 * time.Second},
		{name: "zero delay shuts down at once", delay: 0, wantAfter: 0},
		{name: "context ending cuts the delay short", delay: time.Minute, ctxAfter: 2 * time.Second, wantAfter: 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				h := mustNew(t, core.WithCheck("db", &switchable{}), core.WithLogger(nil), core.WithDrainDelay(tt.delay))
				_ = h.Start(context.Background())
				synctest.Wait()
				ctx := context.Background()
				if tt.ctxAfter > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.ctxAfter)
					defer cancel()
				}
				a, b := &fakeServer{}, &fakeServer{err: errors.New("b failed")}
				start := time.Now()
				done := make(chan error)
				go func() { done <- h.DrainAndShutdown(ctx, a, b) }()
				synctest.Wait()
				if got := h.Status(core.Readiness); got != core.StatusDraining {
					t.Errorf("readiness during the delay = %v; want draining", got)
				}
				if got := h.Status(core.Liveness); got != core.StatusHealthy {
					t.Errorf("liveness during the delay = %v; want ok", got)
				}
				err := <-done
				if err == nil || err.Error() != "b failed" {
					t.Errorf("DrainAndShutdown() = %v; want the server's error", err)
				}
				for _, s := range []*fakeServer{a, b} {
					if got := s.at.Sub(start); got != tt.wantAfter {
						t.Errorf("server shut down after %v; want %v", got, tt.wantAfter)
					}
				}
			})
		})
	}
}

func TestDrainAndShutdownHTTPServer(t *testing.T) {
	t.Parallel()
	// A real *http.Server satisfies Shutdowner.
	h := mustNew(t, core.WithLogger(nil), core.WithDrainDelay(0))
	srv := &http.Server{}
	if err := h.DrainAndShutdown(context.Background(), srv); err != nil {
		t.Errorf("DrainAndShutdown(*http.Server) = %v; want nil", err)
	}
}

func TestHold(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := mustNew(t, core.WithCheck("db", &switchable{}), core.WithLogger(nil))
		// Held before Start, as for a cache warm-up.
		if err := h.Hold("warmup", "loading 2 of 5 caches"); err != nil {
			t.Fatal(err)
		}
		_ = h.Start(context.Background())
		synctest.Wait()
		r := get(t, h, "/readyz")
		b := decode(t, r)
		if r.StatusCode != 503 || b.Status != "unhealthy" {
			t.Errorf("GET /readyz while held = %d %s; want 503 unhealthy", r.StatusCode, b.Status)
		}
		if _, ok := b.Holds["warmup"]; !ok || b.Holds["warmup"].Reason != "" {
			t.Errorf("holds = %+v; want warmup without its reason (details off)", b.Holds)
		}
		detailed := probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/readyz", Details: true})
		if got := string(detailed.Body()); !strings.Contains(got, `"holds":{"warmup":{"reason":"loading 2 of 5 caches"}}`) {
			t.Errorf("body with details = %s; want the hold's reason", got)
		}
		if got := get(t, h, "/healthz").StatusCode; got != 200 {
			t.Errorf("GET /healthz while held = %d; want 200", got)
		}
		if got := get(t, h, "/readyz?exclude=warmup").StatusCode; got != 200 {
			t.Errorf("GET /readyz?exclude=warmup = %d; want 200", got)
		}
		if err := h.Hold("maintenance", "db migration"); err != nil {
			t.Fatal(err)
		}
		h.Release("warmup")
		if got := get(t, h, "/readyz").StatusCode; got != 503 {
			t.Errorf("GET /readyz with one hold left = %d; want 503", got)
		}
		h.Release("maintenance")
		h.Release("never-held")
		if got := get(t, h, "/readyz").StatusCode; got != 200 {
			t.Errorf("GET /readyz after release = %d; want 200", got)
		}
		if err := h.Hold("bad name", ""); err == nil {
			t.Error(`Hold("bad name") = nil; want an error`)
		}
	})
}

func TestHoldDuringDrain(t *testing.T) {
	t.Parallel()
	h := mustNew(t, core.WithLogger(nil))
	h.Drain()
	_ = h.Hold("maintenance", "")
	if got := h.Status(core.Readiness); got != core.StatusDraining {
		t.Errorf("readiness = %v; want draining to win over a hold", got)
	}
	h.Release("maintenance")
	if got := h.Status(core.Readiness); got != core.StatusDraining {
		t.Errorf("readiness after release = %v; want still draining", got)
	}
}

func TestProbeScopes(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		db, proc, boot := &switchable{}, &switchable{}, &switchable{}
		h := mustNew(t,
			core.WithCheck("db", db, core.FailureThreshold(1)),
			core.WithCheck("deadlock", proc, core.ForProbes(core.Liveness), core.FailureThreshold(1)),
			core.WithCheck("migrations", boot, core.ForProbes(core.Startup|core.Readiness), core.FailureThreshold(1)),
			core.WithLogger(nil), core.WithCheckDefaults(core.Interval(time.Second), core.Jitter(0), core.MaxBackoff(time.Second)))
		boot.set(errors.New("pending"))
		_ = h.Start(context.Background())
		synctest.Wait()
		codes := func() [3]int {
			return [3]int{get(t, h, "/healthz").StatusCode, get(t, h, "/readyz").StatusCode, get(t, h, "/startupz").StatusCode}
		}
		if got, want := codes(), [3]int{200, 503, 503}; got != want {
			t.Errorf("migrations pending: healthz/readyz/startupz = %v; want %v", got, want)
		}
		boot.set(nil)
		step(time.Second)
		if got, want := codes(), [3]int{200, 200, 200}; got != want {
			t.Errorf("all passing: %v; want %v", got, want)
		}
		db.set(errDown)
		step(time.Second)
		if got, want := codes(), [3]int{200, 503, 200}; got != want {
			t.Errorf("database down: %v; want %v (liveness ignores the database)", got, want)
		}
		if got := get(t, h, "/healthz/db").StatusCode; got != 404 {
			t.Errorf("GET /healthz/db = %d; want 404: db is not a liveness check", got)
		}
		boot.set(errors.New("broken"))
		proc.set(errors.New("event loop stalled"))
		step(time.Second)
		if got, want := codes(), [3]int{503, 503, 200}; got != want {
			t.Errorf("liveness check failing: %v; want %v (startup stays passed once passed)", got, want)
		}
		if got := get(t, h, "/livez").StatusCode; got != 503 {
			t.Errorf("GET /livez = %d; want 503 like /healthz", got)
		}
	})
}

func TestLivenessIgnoresChecksWithoutResult(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		slow := core.CheckerFunc(func(ctx context.Context) error {
			select {
			case <-release:
			case <-ctx.Done():
			}
			return nil
		})
		h := mustNew(t, core.WithCheck("loop", slow, core.ForProbes(core.Liveness|core.Readiness), core.Timeout(time.Minute)), core.WithLogger(nil))
		_ = h.Start(context.Background())
		synctest.Wait()
		if got := get(t, h, "/healthz").StatusCode; got != 200 {
			t.Errorf("GET /healthz while starting = %d; want 200", got)
		}
		if got := get(t, h, "/readyz").StatusCode; got != 503 {
			t.Errorf("GET /readyz while starting = %d; want 503", got)
		}
		close(release)
	})
}

func TestNoGoroutinesBeforeStart(t *testing.T) {
	before := runtime.NumGoroutine()
	h, err := core.New(core.WithCheck("db", &switchable{}), core.WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := runtime.NumGoroutine(); got > before {
		t.Errorf("goroutines after New = %d; want %d: New starts nothing", got, before)
	}
	_ = h.Close()
}
