// Package traffictest holds the behaviours every adapter's Traffic
// middleware shares, as one table with its assertions, for each adapter's
// test to run against its own framework with [Run]. It imports no web
// framework: the adapter's test supplies an [App] that builds its
// framework's app, and keeps the behaviours only its framework has.
//
// # The routes
//
// The app [App.Serve] builds answers these requests (a route the
// framework's way, as an app of that framework would write it):
//
//	GET    /ok           200 "ok"
//	POST   /created      201, with a body
//	GET    /silent       a handler that writes nothing: 200
//	GET    /bad-request  400
//	GET    /fail         a written 500
//	GET    /unavailable  503
//	GET    /panic        a handler that panics
//	GET    /missing      no such route: 404
//	DELETE /ok           no such method: 405
//
// and any route its [App.Cases] need.
package traffictest

import (
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/testenv"
)

// Mount says how [App.Serve] arranges the app's middleware around
// Traffic.
type Mount int

const (
	// RecoverFirst is the framework's recovering middleware, then Traffic,
	// then the routes. No probes.
	RecoverFirst Mount = iota
	// RecoverAfter is Traffic, then the recovering middleware, then the
	// routes. No probes.
	RecoverAfter
	// ProbesFirst is the adapter's probe middleware, then Traffic, as the
	// adapter's docs say to mount it, so that answered probes never reach
	// Traffic; then the routes.
	ProbesFirst
	// ProbesSkipped is TrafficWithConfig skipping the probes with the
	// adapter's Skipper, then the probe middleware, then the routes.
	ProbesSkipped
	// ProbesCounted is Traffic with no skip, then the probe middleware,
	// then the routes: the probes are recorded too.
	ProbesCounted
)

// Client sends one request to an app and returns the status code and the
// body the client got. A request that fails fails the test.
type Client func(method, target string) (code int, body string)

// Server serves handler on a loopback server until the test ends (see
// [testenv.NewServer]) and returns a [Client] for it.
func Server(t *testing.T, handler http.Handler) Client {
	t.Helper()
	srv := testenv.NewServer(t, handler)
	return func(method, target string) (int, string) {
		t.Helper()
		return testenv.Send(t, srv, method, target)
	}
}

// Case is one request to the app of [App.Serve] and the code it must be
// answered with.
type Case struct {
	// Name names the subtest.
	Name string
	// Method and Target (a path) make the request.
	Method, Target string
	// Mount is RecoverFirst or RecoverAfter.
	Mount Mount
	// WantCode is both the code the client gets and the one recorded.
	WantCode int
}

// cases are the requests every adapter answers alike.
var cases = []Case{
	{Name: "ok", Method: http.MethodGet, Target: "/ok", WantCode: 200},
	{Name: "created", Method: http.MethodPost, Target: "/created", WantCode: 201},
	{Name: "silent", Method: http.MethodGet, Target: "/silent", WantCode: 200},
	{Name: "no route", Method: http.MethodGet, Target: "/missing", WantCode: 404},
	{Name: "no method", Method: http.MethodDelete, Target: "/ok", WantCode: 405},
	{Name: "bad request", Method: http.MethodGet, Target: "/bad-request", WantCode: 400},
	{Name: "fail", Method: http.MethodGet, Target: "/fail", WantCode: 500},
	{Name: "unavailable", Method: http.MethodGet, Target: "/unavailable", WantCode: 503},
	{Name: "panic, recovery before", Method: http.MethodGet, Target: "/panic", Mount: RecoverFirst, WantCode: 500},
	{Name: "panic, recovery after", Method: http.MethodGet, Target: "/panic", Mount: RecoverAfter, WantCode: 500},
}

// App is what [Run] needs of one adapter's test.
type App struct {
	// Adapter is the adapter's package name, e.g. "ginprobe", which
	// starts its panic messages.
	Adapter string

	// Serve builds the app with the routes listed in the package
	// documentation, arranged as m, Traffic recording into rec; for the
	// Probes mounts, with the probe middleware of h (nil for the others).
	// It returns a Client for the app, which the test owns until it ends.
	Serve func(t *testing.T, m Mount, h *core.Health, rec *trafficcheck.Recorder) Client

	// Direct builds an app with Traffic recording into rec and no
	// recovering middleware, and returns a func that serves it one GET /
	// in process (no server, no goroutine of its own), to a handler that
	// writes code and then calls then. A panic in then must leave the
	// func unchanged. Run calls it inside a testing/synctest bubble too.
	Direct func(rec *trafficcheck.Recorder, code int, then func()) (serve func())

	// NilTraffic calls Traffic(nil); NilTrafficWithConfig calls
	// TrafficWithConfig with a zero config. Both must panic.
	NilTraffic, NilTrafficWithConfig func()

	// Cases are the adapter's own requests, run with the shared ones.
	Cases []Case
}

// Run runs the shared Traffic behaviours against app, each as a subtest
// of t, in parallel:
//
//   - status: each request of the shared table and of app.Cases is
//     answered with its code, and that code, alone, is recorded (5xx as a
//     failure); a panic is recorded as 500 whether the recovering
//     middleware is mounted before or after Traffic.
//   - probes: mounted as the docs say, or after a Skipper, Traffic
//     records no answered probe; with no skip it records every one.
//   - panic: a panic (a string, an error, http.ErrAbortHandler) after a
//     written 200 goes on unchanged, and is recorded as a 500.
//   - latency: the recorded latency is the time the chain took, on a
//     synctest clock.
//   - nil recorder: Traffic and TrafficWithConfig panic with
//     "<adapter>: Traffic: nil Recorder" and the like.
func Run(t *testing.T, app App) {
	t.Helper()
	groups := []struct {
		name string
		run  func(*testing.T, App)
	}{
		{"status", runStatus},
		{"probes", runProbes},
		{"panic", runPanic},
		{"latency", runLatency},
		{"nil recorder", runNilRecorder},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			g.run(t, app)
		})
	}
}

func runStatus(t *testing.T, app App) {
	for _, tt := range append(cases[:len(cases):len(cases)], app.Cases...) {
		t.Run(tt.Name, func(t *testing.T) {
			t.Parallel()
			spy := NewSpy()
			send := app.Serve(t, tt.Mount, nil, spy.Recorder)
			if code, body := send(tt.Method, tt.Target); code != tt.WantCode {
				t.Errorf("%s %s = %d %q; want %d", tt.Method, tt.Target, code, body, tt.WantCode)
			}
			spy.Want(t, tt.WantCode)
		})
	}
}

func runProbes(t *testing.T, app App) {
	tests := []struct {
		name      string
		mount     Mount
		wantCodes []int
	}{
		{"probes first", ProbesFirst, []int{200, 404}},
		{"Traffic first, with Skipper", ProbesSkipped, []int{200, 404}},
		{"Traffic first, without skip", ProbesCounted, []int{200, 200, 200, 404, 200, 404}}, // the probes dilute the rate
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := testenv.NewHealth(t)
			spy := NewSpy()
			send := app.Serve(t, tt.mount, h, spy.Recorder)
			for _, target := range []string{"/healthz", "/readyz", "/livez", "/readyz/nosuch", "/ok", "/healthz/"} {
				send(http.MethodGet, target)
			}
			spy.Want(t, tt.wantCodes...)
		})
	}
}

func runPanic(t *testing.T, app App) {
	tests := []struct {
		name      string
		givePanic any
	}{
		{"string", "boom"},
		{"error", errors.New("boom")},
		{"ErrAbortHandler", http.ErrAbortHandler},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spy := NewSpy()
			serve := app.Direct(spy.Recorder, http.StatusOK, func() { panic(tt.givePanic) })
			got := func() (v any) {
				defer func() { v = recover() }()
				serve()
				return nil
			}()
			if got != tt.givePanic {
				t.Errorf("%s.Traffic: panic(%v) reached the caller as %v; want it unchanged", app.Adapter, tt.givePanic, got)
			}
			spy.Want(t, 500)
		})
	}
}

func runLatency(t *testing.T, app App) {
	synctest.Test(t, func(t *testing.T) {
		spy := NewSpy() // in the bubble: on its clock
		const took = 250 * time.Millisecond
		app.Direct(spy.Recorder, http.StatusNoContent, func() { time.Sleep(took) })()
		// Stats is within one part in a million of the latency, never above.
		if st := spy.Recorder.Stats(time.Minute, 100); st.Requests != 1 || st.Latency > took || st.Latency < took-took/1e6 {
			t.Errorf("Stats() = %d requests, latency %v; want 1, %v", st.Requests, st.Latency, took)
		}
		if got := spy.Recorded(); len(got) != 1 || got[0] != http.StatusNoContent {
			t.Errorf("codes recorded = %v; want [%d]", got, http.StatusNoContent)
		}
	})
}

func runNilRecorder(t *testing.T, app App) {
	tests := []struct {
		name      string
		give      func()
		wantPanic string
	}{
		{"Traffic", app.NilTraffic, app.Adapter + ": Traffic: nil Recorder"},
		{"TrafficWithConfig", app.NilTrafficWithConfig, app.Adapter + ": TrafficWithConfig: nil Recorder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if got := recover(); got != tt.wantPanic {
					t.Errorf("%s(nil) panicked with %v; want %q", tt.name, got, tt.wantPanic)
				}
			}()
			tt.give()
		})
	}
}
