package core_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// waitFor returns a channel closed when probe p reaches status s.
func waitFor(h *core.Health, p core.Probe, s core.Status) <-chan struct{} {
	done := make(chan struct{})
	var stop func()
	stop = h.Listen(func(ev core.Event) {
		if ev.Check == "" && ev.Probe == p && ev.To == s {
			stop()
			close(done)
		}
	})
	return done
}

func Example() {
	h, err := core.New(
		core.WithCheck("db", core.CheckerFunc(func(ctx context.Context) error {
			return nil // db.PingContext(ctx) in a real app
		})),
		core.WithCheck("cache", core.CheckerFunc(func(ctx context.Context) error {
			return errors.New("connection refused")
		}), core.Critical(false)),
		core.WithLogger(nil),
	)
	if err != nil {
		panic(err)
	}
	defer h.Close()
	degraded := waitFor(h, core.Readiness, core.StatusDegraded)
	_ = h.Start(context.Background())
	<-degraded

	// What a kubelet sees; the app's own handler would go where
	// http.NotFoundHandler is.
	srv := httptest.NewServer(probeOnly(h))
	defer srv.Close()
	resp, _ := http.Get(srv.URL + "/readyz?verbose")
	fmt.Println(resp.Status)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, line := range strings.SplitAfter(string(body), "\n") {
		// The first line, "info: service=… version=… uptime=…", says
		// which build answered; it varies, so it is left out here.
		if !strings.HasPrefix(line, "info:") {
			fmt.Print(line)
		}
	}
	// Output:
	// 200 OK
	// [+]db ok
	// [-]cache failed (non-critical): reason withheld
	// readiness check passed
}

// probeOnly is what adapters/httpprobe.Wrap does, written out.
func probeOnly(h *core.Health) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if resp := probehttp.Respond(h, probehttp.HTTPRequest(r)); resp != nil {
			resp.WriteHTTP(w, r.Method)
			return
		}
		http.NotFound(w, r)
	})
}

func ExampleWithCheck() {
	ping := core.CheckerFunc(func(ctx context.Context) error { return nil })
	h, err := core.New(
		// Every check of this service: every 10s, 1s to answer.
		core.WithCheckDefaults(core.Interval(10*time.Second), core.Timeout(time.Second)),
		core.WithCheck("db", ping, core.FailureThreshold(2)),
		// A process-local check that may restart the pod when it fails.
		core.WithCheck("event-loop", ping, core.ForProbes(core.Liveness|core.Readiness)),
		// Slow to warm up: gate the startup probe on it.
		core.WithCheck("migrations", ping, core.ForProbes(core.Startup|core.Readiness), core.Interval(time.Minute)),
		core.WithLogger(nil),
	)
	fmt.Println(err)
	_ = h.Close()

	_, err = core.New(core.WithCheck("db", ping, core.Interval(0)))
	fmt.Println(err)
	// Output:
	// <nil>
	// core: check "db": interval must be positive, got 0s
}

func ExampleHealth_Hold() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()
	_ = h.Hold("warmup", "loading caches")
	fmt.Println(h.Status(core.Readiness), h.Status(core.Liveness))
	h.Release("warmup")
	fmt.Println(h.Status(core.Readiness), h.Status(core.Liveness))
	// Output:
	// unhealthy ok
	// ok ok
}

func ExampleHealth_Drain() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()
	h.Drain()
	r := probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/readyz"})
	l := probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/healthz"})
	fmt.Print(r.StatusCode(), " ", string(r.Body()))
	fmt.Print(l.StatusCode(), " ", string(l.Body()))
	// Output:
	// 503 {"status":"draining"}
	// 200 {"status":"ok"}
}

func ExampleHealth_DrainAndShutdown() {
	h := core.MustNew(core.WithLogger(nil), core.WithDrainDelay(10*time.Millisecond))
	defer h.Close()
	srv := &http.Server{Addr: "127.0.0.1:0"}
	// On SIGTERM: readiness 503 at once, the drain delay, then Shutdown.
	err := h.DrainAndShutdown(context.Background(), srv)
	fmt.Println(err, h.Status(core.Readiness))
	// Output:
	// <nil> draining
}

func ExampleRedact() {
	fmt.Println(core.Redact("dial postgres://app:hunter2@db:5432/app: connection refused"))
	fmt.Println(core.Redact("host=db user=app password=hunter2"))
	// Output:
	// dial postgres://app:xxxxx@db:5432/app: connection refused
	// host=db user=app password=xxxxx
}

func ExampleWarn() {
	used := 0.93
	chk := core.CheckerFunc(func(ctx context.Context) error {
		if used > 0.9 {
			return core.Warn(fmt.Errorf("pool %.0f%% used", used*100))
		}
		return nil
	})
	err := chk.Check(context.Background())
	fmt.Println(err, core.IsWarning(err))
	// Output:
	// pool 93% used true
}
