package core_test

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

func TestEnvSetsEveryOption(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		chk := &switchable{}
		sink := &logSink{}
		h := mustNew(t,
			core.WithEnvFrom([]string{
				"HEALTH_INTERVAL=2s",
				"HEALTH_TIMEOUT=500ms",
				"HEALTH_FAILURE_THRESHOLD=2",
				"HEALTH_SUCCESS_THRESHOLD=2",
				"HEALTH_JITTER=0",
				"HEALTH_MAX_BACKOFF=2s",
				"HEALTH_STALE_AFTER=1m",
				"HEALTH_LIVENESS_PATHS=/live, /alive",
				"HEALTH_READINESS_PATHS=/ready",
				"HEALTH_STARTUP_PATHS=",
				"HEALTH_DETAILS=true",
				"HEALTH_DRAIN_DELAY=0s",
				"HEALTH_VERSION=v9.9.9",
				"HEALTH_INTERVALL=5s", // a typo: warned about, not fatal
				"PATH=/usr/bin",       // not ours
			}),
			core.WithCheck("db", chk),
			core.WithLogger(slog.New(sink)),
		)
		_ = h.Start(context.Background())
		synctest.Wait()
		// Paths.
		for path, want := range map[string]bool{"/live": true, "/alive": true, "/ready": true, "/healthz": false, "/readyz": false, "/startupz": false} {
			if got := probehttp.IsProbePath(h, path); got != want {
				t.Errorf("IsProbePath(%q) = %v; want %v", path, got, want)
			}
		}
		// Interval 2s, jitter 0: runs at 0, 2, 4.
		step(4 * time.Second)
		if got := chk.runs.Load(); got != 3 {
			t.Errorf("runs in 4s = %d; want 3 (HEALTH_INTERVAL=2s, HEALTH_JITTER=0)", got)
		}
		// Failure threshold 2, success threshold 2.
		chk.set(errDown)
		step(2 * time.Second)
		if got := h.Status(core.Readiness); got != core.StatusHealthy {
			t.Errorf("after 1 failure: readiness = %v; want ok", got)
		}
		step(2 * time.Second)
		if got := h.Status(core.Readiness); got != core.StatusUnhealthy {
			t.Errorf("after 2 failures: readiness = %v; want unhealthy (HEALTH_FAILURE_THRESHOLD=2)", got)
		}
		chk.set(nil)
		step(2 * time.Second) // MaxBackoff 2s keeps the interval
		if got := h.Status(core.Readiness); got != core.StatusUnhealthy {
			t.Errorf("after 1 pass: readiness = %v; want unhealthy (HEALTH_SUCCESS_THRESHOLD=2)", got)
		}
		step(2 * time.Second)
		if got := h.Status(core.Readiness); got != core.StatusHealthy {
			t.Errorf("after 2 passes: readiness = %v; want ok", got)
		}
		// Details and version.
		r := probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/ready", RawQuery: "verbose"})
		if body := string(r.Body()); !strings.Contains(body, "version=v9.9.9") {
			t.Errorf("verbose body = %q; want HEALTH_VERSION in its info line", body)
		}
		chk.set(errDown)
		step(4 * time.Second)
		if body := string(probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/ready"}).Body()); !strings.Contains(body, `"error":"connection refused"`) {
			t.Errorf("body = %s; want the error (HEALTH_DETAILS=true)", body)
		}
		if !slices.ContainsFunc(sink.lines(), func(l string) bool {
			return strings.Contains(l, "unknown environment variable") && strings.Contains(l, "HEALTH_INTERVALL")
		}) {
			t.Error("no warning for the unknown variable HEALTH_INTERVALL")
		}
	})
}

func TestEnvDrainDelayAndTimeoutAndStale(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		hung := make(chan struct{})
		defer close(hung)
		h := mustNew(t,
			core.WithEnvFrom([]string{"HEALTH_DRAIN_DELAY=3s", "HEALTH_TIMEOUT=1500ms", "HEALTH_STALE_AFTER=30s"}),
			core.WithCheck("slow", core.CheckerFunc(func(context.Context) error { <-hung; return nil })),
			core.WithLogger(nil))
		_ = h.Start(context.Background())
		step(1600 * time.Millisecond) // the timeout and its 100ms grace
		if got := h.Checks()[0].Err; got != "core: check still running after 1.6s" {
			t.Errorf("err = %q; want the HEALTH_TIMEOUT of 1.5s (and 100ms grace)", got)
		}
		srv := &fakeServer{}
		start := time.Now()
		_ = h.DrainAndShutdown(context.Background(), srv)
		if got := srv.at.Sub(start); got != 3*time.Second {
			t.Errorf("shut down after %v; want HEALTH_DRAIN_DELAY=3s", got)
		}
	})
}

func TestEnvAppliesInItsPlace(t *testing.T) {
	t.Parallel()
	env := core.WithEnvFrom([]string{"HEALTH_INTERVAL=1s", "HEALTH_DETAILS=true", "HEALTH_READINESS_PATHS=/ready"})
	code := []core.Option{
		core.WithCheckDefaults(core.Interval(3*time.Second), core.Jitter(0)),
		core.WithDetails(false),
		core.WithPaths(core.Readiness, "/readyz"),
	}
	tests := []struct {
		name     string
		opts     []core.Option
		runs     int64 // in 6s
		path     string
		details  bool
		perCheck bool // the check with its own Interval(10s) ran once
	}{
		{"env first: code overrides it", append([]core.Option{env}, code...), 3, "/readyz", false, true},
		{"env last: it overrides code", append(slices.Clone(code), env), 7, "/ready", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				chk, own := &switchable{}, &switchable{}
				h := mustNew(t, append(tt.opts,
					core.WithCheck("db", chk),
					core.WithCheck("cache", own, core.Interval(10*time.Second)),
					core.WithLogger(nil))...)
				_ = h.Start(context.Background())
				step(6 * time.Second)
				if got := chk.runs.Load(); got != tt.runs {
					t.Errorf("runs in 6s = %d; want %d", got, tt.runs)
				}
				if got := own.runs.Load(); got != 1 {
					t.Errorf("runs in 6s of the check with Interval(10s) = %d; want 1: per-check options win over defaults", got)
				}
				if !probehttp.IsProbePath(h, tt.path) {
					t.Errorf("IsProbePath(%q) = false; want the readiness path", tt.path)
				}
				chk.set(errDown)
				step(3 * time.Second)
				body := string(probehttp.Respond(h, probehttp.Request{Method: "GET", Path: tt.path}).Body())
				if got := strings.Contains(body, `"error"`); got != tt.details {
					t.Errorf("body = %s; want error texts %v", body, tt.details)
				}
			})
		})
	}
}

func TestEnvInvalidValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give    string
		wantErr string
	}{
		{"HEALTH_INTERVAL=5", `core: HEALTH_INTERVAL="5": want a positive Go duration such as 5s or 250ms`},
		{"HEALTH_DRAIN_DELAY=5", `core: HEALTH_DRAIN_DELAY="5": want a non-negative Go duration such as 0s, 5s or 250ms`},
		{"HEALTH_DRAIN_DELAY=-1s", `core: HEALTH_DRAIN_DELAY="-1s": want a non-negative Go duration`},
		{"HEALTH_INTERVAL=0s", `core: HEALTH_INTERVAL="0s": want a positive Go duration`},
		{"HEALTH_INTERVAL=-1s", `HEALTH_INTERVAL="-1s"`},
		{"HEALTH_TIMEOUT=soon", `core: HEALTH_TIMEOUT="soon"`},
		{"HEALTH_TIMEOUT=0", `HEALTH_TIMEOUT="0": want a positive`},
		{"HEALTH_FAILURE_THRESHOLD=0", `core: HEALTH_FAILURE_THRESHOLD="0": want an integer of at least 1`},
		{"HEALTH_FAILURE_THRESHOLD=three", `HEALTH_FAILURE_THRESHOLD="three"`},
		{"HEALTH_SUCCESS_THRESHOLD=-2", `HEALTH_SUCCESS_THRESHOLD="-2"`},
		{"HEALTH_JITTER=1", `core: HEALTH_JITTER="1": want a fraction in [0, 1)`},
		{"HEALTH_JITTER=NaN", `HEALTH_JITTER="NaN"`},
		{"HEALTH_MAX_BACKOFF=forever", `HEALTH_MAX_BACKOFF="forever"`},
		{"HEALTH_MAX_BACKOFF=1s", `max backoff 1s is shorter than the interval 5s`},
		{"HEALTH_STALE_AFTER=1h2", `HEALTH_STALE_AFTER="1h2"`},
		{"HEALTH_LIVENESS_PATHS=healthz", `core: HEALTH_LIVENESS_PATHS="healthz": want comma-separated paths`},
		{"HEALTH_READINESS_PATHS=/ready,/a/../b", `HEALTH_READINESS_PATHS="/ready,/a/../b"`},
		{"HEALTH_STARTUP_PATHS=/healthz", `probe path "/healthz" is set for both liveness (its default) and startup (configured): give liveness other paths with WithPaths or HEALTH_LIVENESS_PATHS`},
		{"HEALTH_DETAILS=yes", `core: HEALTH_DETAILS="yes": want true or false`},
		{"HEALTH_DRAIN_DELAY=5", `HEALTH_DRAIN_DELAY="5"`},
		{"HEALTH_ADDR=9090", `core: HEALTH_ADDR="9090": want host:port`},
		{"HEALTH_PROBE_DETAILS=on", `HEALTH_PROBE_DETAILS="on": want true or false`},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			t.Parallel()
			h, err := core.New(core.WithEnvFrom([]string{tt.give}), core.WithCheck("db", &switchable{}), core.WithLogger(nil))
			if err == nil {
				_ = h.Close()
				t.Fatalf("New(WithEnvFrom(%q)) error = nil; want %q", tt.give, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New(WithEnvFrom(%q)) error = %q; want it to contain %q", tt.give, err, tt.wantErr)
			}
		})
	}
}

func TestEnvEmptyMeansUnset(t *testing.T) {
	t.Parallel()
	h := mustNew(t, core.WithEnvFrom([]string{"HEALTH_INTERVAL=", "HEALTH_ADDR=", "HEALTH_STATUS_FILE=", "HEALTH_DETAILS= "}), core.WithLogger(nil))
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := h.ProbeServerAddr(); got != "" {
		t.Errorf("ProbeServerAddr() = %q with HEALTH_ADDR empty; want no probe server", got)
	}
}

func TestEnvProbeServerAndStatusFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h := mustNew(t, core.WithEnvFrom([]string{"HEALTH_ADDR=127.0.0.1:0", "HEALTH_STATUS_FILE=" + dir + "/ready.json", "HEALTH_PROBE_DETAILS=false"}), core.WithLogger(nil))
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	addr := h.ProbeServerAddr()
	if addr == "" {
		t.Fatal("HEALTH_ADDR did not start a probe server")
	}
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /readyz on the probe server = %d; want 200", resp.StatusCode)
	}
	if err := core.CheckStatusFile(dir + "/ready.json"); err != nil {
		t.Errorf("CheckStatusFile() = %v; want the file written and ready", err)
	}
}
