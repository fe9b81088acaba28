package fiberv3probe_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/testenv"
)

// state names a Health fixture.
type state string

const (
	healthy   state = "healthy"
	unhealthy state = "unhealthy" // db (critical) failing
	degraded  state = "degraded"  // cache (non-critical) failing
	starting  state = "starting"  // db has no first result yet
	draining  state = "draining"  // healthy, then Drain
)

// fixture returns a started Health in state s, its checks redis, db and
// cache (non-critical) for readiness, once every check that should have a
// result has one.
func fixture(t *testing.T, s state) *core.Health {
	t.Helper()
	pass := core.CheckerFunc(func(context.Context) error { return nil })
	fail := core.CheckerFunc(func(context.Context) error { return errors.New("dial tcp 10.0.0.7:5432: connection refused") })
	release := make(chan struct{})
	blocked := core.CheckerFunc(func(ctx context.Context) error {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return nil
	})
	db, cache := core.Checker(pass), core.Checker(pass)
	switch s {
	case unhealthy:
		db = fail
	case degraded:
		cache = fail
	case starting:
		db = blocked
	}
	h := testenv.NewHealth(t,
		core.WithCheckDefaults(core.Interval(time.Hour), core.Timeout(time.Hour), core.FailureThreshold(1)),
		core.WithCheck("redis", pass),
		core.WithCheck("db", db),
		core.WithCheck("cache", cache, core.Critical(false)),
	)
	// Registered after NewHealth's Close: runs first, so Close does not
	// wait on the blocked check.
	t.Cleanup(func() { close(release) })
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, 10*time.Second, func() error {
		for _, c := range h.Checks() {
			if c.Checked.IsZero() && !(s == starting && c.Name == "db") {
				return fmt.Errorf("check %s has no result yet", c.Name)
			}
		}
		return nil
	})
	if s == draining {
		h.Drain()
	}
	return h
}

// TestNewStates runs the probe table against the real engine in each
// state: status codes, formats, per-check paths and exclusions. The body
// must be the core's own answer to the same request, byte for byte.
func TestNewStates(t *testing.T) {
	t.Parallel()
	const (
		ctJSON = "application/json"
		ctIETF = "application/health+json"
		ctText = "text/plain; charset=utf-8"
	)
	tests := []struct {
		name         string
		state        state
		method       string // GET when empty
		target       string
		accept       string
		wantCode     int
		wantCT       string
		wantContains string
	}{
		{name: "liveness healthy", state: healthy, target: "/healthz", wantCode: 200, wantCT: ctJSON, wantContains: `"status":"ok"`},
		{name: "readiness healthy", state: healthy, target: "/readyz", wantCode: 200, wantCT: ctJSON, wantContains: `"status":"ok"`},
		{name: "startup healthy", state: healthy, target: "/startupz", wantCode: 200, wantCT: ctJSON, wantContains: `"status":"ok"`},
		{name: "readiness critical failing", state: unhealthy, target: "/readyz", wantCode: 503, wantCT: ctJSON, wantContains: `"status":"unhealthy"`},
		{name: "liveness ignores the database", state: unhealthy, target: "/healthz", wantCode: 200, wantContains: `"status":"ok"`},
		{name: "error text withheld", state: unhealthy, target: "/readyz?verbose", wantCode: 503, wantCT: ctText, wantContains: "[-]db failed: reason withheld\n"},
		{name: "per check failing", state: unhealthy, target: "/readyz/db", wantCode: 503, wantCT: ctJSON},
		{name: "per check passing", state: unhealthy, target: "/readyz/redis", wantCode: 200, wantCT: ctJSON},
		{name: "failing check excluded", state: unhealthy, target: "/readyz?exclude=db", wantCode: 200, wantCT: ctJSON, wantContains: `"status":"ok"`},
		{name: "excluded, verbose", state: unhealthy, target: "/readyz?verbose&exclude=db", wantCode: 200, wantCT: ctText, wantContains: "readiness check passed\n"},
		{name: "IETF unhealthy", state: unhealthy, target: "/readyz", accept: ctIETF, wantCode: 503, wantCT: ctIETF, wantContains: `"status":"fail"`},
		{name: "HEAD unhealthy", state: unhealthy, method: "HEAD", target: "/readyz", wantCode: 503, wantCT: ctJSON},
		{name: "degraded is 200", state: degraded, target: "/readyz", wantCode: 200, wantCT: ctJSON, wantContains: `"status":"degraded"`},
		{name: "degraded verbose", state: degraded, target: "/readyz?verbose", wantCode: 200, wantCT: ctText, wantContains: "[-]cache failed"},
		{name: "degraded IETF", state: degraded, target: "/readyz", accept: ctIETF, wantCode: 200, wantCT: ctIETF, wantContains: `"status":"warn"`},
		{name: "non-critical check alone", state: degraded, target: "/readyz/cache", wantCode: 503, wantCT: ctJSON},
		{name: "readiness starting", state: starting, target: "/readyz", wantCode: 503, wantCT: ctJSON, wantContains: `"status":"starting"`},
		{name: "liveness while starting", state: starting, target: "/healthz", wantCode: 200, wantContains: `"status":"ok"`},
		{name: "readiness draining", state: draining, target: "/readyz", wantCode: 503, wantCT: ctJSON, wantContains: `"status":"draining"`},
		{name: "readiness draining verbose", state: draining, target: "/readyz?verbose", wantCode: 503, wantCT: ctText, wantContains: "[-]shutdown draining\n"},
		{name: "liveness while draining", state: draining, target: "/healthz", wantCode: 200, wantContains: `"status":"ok"`},
		{name: "livez while draining", state: draining, target: "/livez", wantCode: 200, wantContains: `"status":"ok"`},
		{name: "POST while draining", state: draining, method: "POST", target: "/readyz", wantCode: 405, wantContains: "method not allowed"},
	}
	apps := make(map[state]*fiber.App)
	healths := make(map[state]*core.Health)
	for _, s := range []state{healthy, unhealthy, degraded, starting, draining} {
		h := fixture(t, s)
		app := fiber.New()
		app.Use(fiberv3probe.New(h))
		apps[s], healths[s] = app, h
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = "GET"
			}
			var header []string
			if tt.accept != "" {
				header = []string{"Accept", tt.accept}
			}
			got := do(t, apps[tt.state], method, tt.target, header...)
			if got.code != tt.wantCode {
				t.Errorf("%s %s (%s) = %d %q; want %d", method, tt.target, tt.state, got.code, got.body, tt.wantCode)
			}
			if tt.wantCT != "" && got.header.Get("Content-Type") != tt.wantCT {
				t.Errorf("%s %s: Content-Type %q; want %q", method, tt.target, got.header.Get("Content-Type"), tt.wantCT)
			}
			if got.header.Get("Cache-Control") != "no-store" || got.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s %s: Cache-Control %q, X-Content-Type-Options %q; want no-store, nosniff", method, tt.target,
					got.header.Get("Cache-Control"), got.header.Get("X-Content-Type-Options"))
			}
			path, query, _ := strings.Cut(tt.target, "?")
			want := probehttp.Respond(healths[tt.state], probehttp.Request{Method: "GET", Path: path, RawQuery: query, Accept: tt.accept})
			wantBody := string(want.Body())
			if method == "HEAD" {
				wantBody = ""
			} else if method != "GET" {
				wantBody = string(probehttp.Respond(healths[tt.state], probehttp.Request{Method: method, Path: path}).Body())
			}
			if testenv.StripInfo(got.body) != testenv.StripInfo(wantBody) {
				t.Errorf("%s %s: body %q; want the core's %q", method, tt.target, got.body, wantBody)
			}
			if !strings.Contains(got.body, tt.wantContains) {
				t.Errorf("%s %s: body %q; want it to contain %q", method, tt.target, got.body, tt.wantContains)
			}
		})
	}
}
