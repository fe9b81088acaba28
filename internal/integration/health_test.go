package integration_test

// The cross-adapter conformance suite: one table of probe behaviours, run
// against every adapter with the framework's real engine. A behaviour that
// differs on one framework is a failing case, not a special case: a new
// adapter joins the layouts list, and the table does not change.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	fiber3 "github.com/gofiber/fiber/v3"

	"github.com/probekit/probekit/internal/testenv"

	"github.com/probekit/probekit/core"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const apiToken = "secret-token"

// appDeps is what every example app has besides its probes: a database
// whose per-request connect can be made to fail.
type appDeps struct {
	dbDown atomic.Bool
}

// adapter builds the example-shaped app for one framework: the probe line
// first, then Bearer auth on every route, then a DB-connect middleware, then
// GET /api/whoami. It returns a function that serves one request.
type adapter struct {
	name  string
	build func(t *testing.T, h *core.Health, deps *appDeps) func(*http.Request) *http.Response
}

// adapters are every adapter in every layout it supports: the probe line
// first, and auth registered first with the adapter's skipper. The builders
// live in conformance_<framework>_test.go.
var adapters = []adapter{
	{name: "nethttp", build: buildNetHTTP(false)},
	{name: "nethttp/auth-first", build: buildNetHTTP(true)},
	{name: "chi", build: buildChi(false)},
	{name: "chi/auth-first", build: buildChi(true)},
	{name: "gin", build: buildGin(false)},
	{name: "gin/auth-first", build: buildGin(true)},
	{name: "echo/pre", build: buildEcho("pre")},
	{name: "echo/use", build: buildEcho("use")},
	{name: "echo/auth-first", build: buildEcho("auth-first")},
	{name: "fiber", build: buildFiber(false)},
	{name: "fiber/auth-first", build: buildFiber(true)},
	{name: "echov5/pre", build: buildEchoV5("pre")},
	{name: "echov5/use", build: buildEchoV5("use")},
	{name: "echov5/auth-first", build: buildEchoV5("auth-first")},
	{name: "fiberv3", build: buildFiberV3(fiber3.Config{}, false)},
	{name: "fiberv3/auth-first", build: buildFiberV3(fiber3.Config{}, true)},
	{name: "fiberv3/strict", build: buildFiberV3(fiber3.Config{CaseSensitive: true, StrictRouting: true, UnescapePath: true}, false)},
	{name: "fiberv3/strict/auth-first", build: buildFiberV3(fiber3.Config{CaseSensitive: true, StrictRouting: true, UnescapePath: true}, true)},
}

// state names a Health fixture.
type state string

const (
	healthy         state = "healthy"
	unhealthy       state = "unhealthy"    // db (critical) failing
	degraded        state = "degraded"     // cache (non-critical) failing
	starting        state = "starting"     // db has no first result yet
	draining        state = "draining"     // healthy, then Drain
	held            state = "held"         // healthy, then Hold("warmup")
	livenessFailing state = "liveness"     // a liveness-scoped check failing
	detailed        state = "details"      // unhealthy with WithDetails(true)
	appDBDown       state = "app-db-down"  // checks pass, the app's DB-connect fails
	startupPending  state = "startup-wait" // a startup check has not passed
)

const dbErr = "connect postgres://app:hunter2@db.internal:5432/app: connection refused"

// fixture builds a started Health in state s and waits (polling, with a
// deadline) until every check that should have a result has one.
func fixture(t *testing.T, s state, deps *appDeps) *core.Health {
	t.Helper()
	pass := core.CheckerFunc(func(context.Context) error { return nil })
	fail := func(msg string) core.Checker {
		return core.CheckerFunc(func(context.Context) error { return errors.New(msg) })
	}
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	blocked := core.CheckerFunc(func(ctx context.Context) error {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return nil
	})
	db, cache, proc, boot := core.Checker(pass), core.Checker(pass), core.Checker(pass), core.Checker(pass)
	opts := []core.Option{core.WithLogger(nil), core.WithCheckDefaults(core.Interval(time.Hour), core.Timeout(time.Hour), core.FailureThreshold(1))}
	switch s {
	case unhealthy, detailed:
		db = fail(dbErr)
	case degraded:
		cache = fail("dial tcp 10.0.0.7:11211: i/o timeout")
	case starting:
		db = blocked
	case livenessFailing:
		proc = fail("event loop stalled")
	case startupPending:
		boot = fail("3 pending migrations")
	}
	if s == detailed {
		opts = append(opts, core.WithDetails(true))
	}
	opts = append(opts,
		core.WithCheck("redis", pass),
		core.WithCheck("db", db),
		core.WithCheck("cache", cache, core.Critical(false)),
		core.WithCheck("loop", proc, core.ForProbes(core.Liveness)),
		core.WithCheck("migrations", boot, core.ForProbes(core.Startup)),
	)
	h, err := core.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		pending := 0
		for _, c := range h.Checks() {
			if c.Checked.IsZero() && !(s == starting && c.Name == "db") {
				pending++
			}
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("fixture %s: %d checks without a first result after 10s", s, pending)
		}
		time.Sleep(time.Millisecond)
	}
	switch s {
	case draining:
		h.Drain()
	case held:
		if err := h.Hold("warmup", "loading caches"); err != nil {
			t.Fatal(err)
		}
	case appDBDown:
		deps.dbDown.Store(true)
	}
	return h
}

type conformanceCase struct {
	name         string
	state        state
	method       string // GET when empty
	target       string
	header       map[string]string
	wantCode     int
	wantCT       string            // Content-Type, when set
	wantBody     string            // exact body, when set
	wantStatus   string            // JSON "status", when set
	wantChecks   []string          // JSON check names, when set
	wantHeader   map[string]string // exact header values
	wantContains []string
	wantAbsent   []string
}

const (
	ctJSON = "application/json"
	ctIETF = "application/health+json"
	ctText = "text/plain; charset=utf-8"
)

var bearer = map[string]string{"Authorization": "Bearer " + apiToken}

var conformance = []conformanceCase{
	// Statuses by state.
	{name: "liveness healthy", state: healthy, target: "/healthz", wantCode: 200, wantCT: ctJSON, wantStatus: "ok", wantChecks: []string{"loop"}},
	{name: "livez alias", state: healthy, target: "/livez", wantCode: 200, wantStatus: "ok"},
	{name: "readiness healthy", state: healthy, target: "/readyz", wantCode: 200, wantCT: ctJSON, wantStatus: "ok", wantChecks: []string{"cache", "db", "redis"}},
	{name: "readiness unhealthy", state: unhealthy, target: "/readyz", wantCode: 503, wantStatus: "unhealthy", wantChecks: []string{"cache", "db", "redis"}},
	{name: "liveness ignores the database", state: unhealthy, target: "/healthz", wantCode: 200, wantStatus: "ok"},
	{name: "readiness degraded is 200", state: degraded, target: "/readyz", wantCode: 200, wantStatus: "degraded"},
	{name: "readiness starting", state: starting, target: "/readyz", wantCode: 503, wantStatus: "starting"},
	{name: "liveness while starting", state: starting, target: "/healthz", wantCode: 200, wantStatus: "ok"},
	{name: "readiness draining", state: draining, target: "/readyz", wantCode: 503, wantStatus: "draining"},
	{name: "liveness while draining", state: draining, target: "/healthz", wantCode: 200, wantStatus: "ok"},
	{name: "readiness held", state: held, target: "/readyz", wantCode: 503, wantStatus: "unhealthy", wantContains: []string{`"holds":{"warmup":{}}`}, wantAbsent: []string{"loading caches"}},
	{name: "liveness check failing", state: livenessFailing, target: "/healthz", wantCode: 503, wantStatus: "unhealthy", wantChecks: []string{"loop"}},
	{name: "readiness unaffected by a liveness check", state: livenessFailing, target: "/readyz", wantCode: 200, wantStatus: "ok"},
	{name: "startup passed", state: healthy, target: "/startupz", wantCode: 200, wantStatus: "ok"},
	{name: "startup pending", state: startupPending, target: "/startupz", wantCode: 503, wantStatus: "starting"},

	// Formats and bodies.
	{name: "verbose healthy", state: healthy, target: "/readyz?verbose", wantCode: 200, wantCT: ctText,
		wantBody: "[+]redis ok\n[+]db ok\n[+]cache ok\nreadiness check passed\n"},
	{name: "verbose unhealthy withholds the reason", state: unhealthy, target: "/readyz?verbose", wantCode: 503, wantCT: ctText,
		wantBody: "[+]redis ok\n[-]db failed: reason withheld\n[+]cache ok\nreadiness check failed\n"},
	{name: "verbose held", state: held, target: "/readyz?verbose=true", wantCode: 503,
		wantBody: "[+]redis ok\n[+]db ok\n[+]cache ok\n[-]warmup held: reason withheld\nreadiness check failed\n"},
	{name: "verbose draining", state: draining, target: "/readyz?verbose", wantCode: 503,
		wantBody: "[+]redis ok\n[+]db ok\n[+]cache ok\n[-]shutdown draining\nreadiness check failed\n"},
	{name: "IETF healthy", state: healthy, target: "/readyz", header: map[string]string{"Accept": "application/health+json"}, wantCode: 200, wantCT: ctIETF, wantStatus: "pass"},
	{name: "IETF degraded is warn with 200", state: degraded, target: "/readyz", header: map[string]string{"Accept": "application/health+json"}, wantCode: 200, wantCT: ctIETF, wantStatus: "warn"},
	{name: "IETF unhealthy", state: unhealthy, target: "/readyz", header: map[string]string{"Accept": "application/health+json"}, wantCode: 503, wantCT: ctIETF, wantStatus: "fail"},
	{name: "one check", state: unhealthy, target: "/readyz/redis", wantCode: 200, wantStatus: "ok", wantChecks: []string{"redis"}},
	{name: "one failing check", state: unhealthy, target: "/readyz/db", wantCode: 503, wantStatus: "unhealthy", wantChecks: []string{"db"}},
	{name: "one check verbose", state: healthy, target: "/readyz/db?verbose", wantCode: 200, wantBody: "[+]db ok\ndb check passed\n"},
	{name: "liveness check subpath", state: healthy, target: "/healthz/loop", wantCode: 200, wantChecks: []string{"loop"}},
	{name: "unknown check", state: healthy, target: "/readyz/nosuch", wantCode: 404, wantCT: ctJSON, wantBody: `{"error":"unknown check"}` + "\n"},
	{name: "readiness check under liveness is unknown", state: healthy, target: "/healthz/db", wantCode: 404},
	{name: "exclude the failing check", state: unhealthy, target: "/readyz?exclude=db", wantCode: 200, wantStatus: "ok", wantChecks: []string{"cache", "redis"}},
	{name: "exclude repeated, verbose", state: unhealthy, target: "/readyz?exclude=db&exclude=redis&verbose", wantCode: 200,
		wantBody: "[+]redis excluded: ok\n[+]db excluded: ok\n[+]cache ok\nreadiness check passed\n"},
	{name: "exclude a hold", state: held, target: "/readyz?exclude=warmup", wantCode: 200, wantStatus: "ok"},
	{name: "details off: no error text", state: unhealthy, target: "/readyz", wantCode: 503, wantAbsent: []string{"hunter2", "connection refused", "db.internal"}},
	{name: "details on: redacted error text", state: detailed, target: "/readyz", wantCode: 503,
		wantContains: []string{`"error":"connect postgres://app:xxxxx@db.internal:5432/app: connection refused"`}, wantAbsent: []string{"hunter2"}},
	{name: "details on: verbose reason", state: detailed, target: "/readyz?verbose", wantCode: 503,
		wantContains: []string{"[-]db failed: connect postgres://app:xxxxx@db.internal:5432/app: connection refused\n"}},

	// Methods and headers.
	{name: "HEAD liveness", state: healthy, method: "HEAD", target: "/healthz", wantCode: 200, wantBody: ""},
	{name: "HEAD readiness unhealthy", state: unhealthy, method: "HEAD", target: "/readyz", wantCode: 503, wantBody: ""},
	{name: "POST is 405", state: healthy, method: "POST", target: "/readyz", wantCode: 405, wantHeader: map[string]string{"Allow": "GET, HEAD"}, wantBody: `{"error":"method not allowed"}` + "\n"},
	{name: "DELETE is 405", state: healthy, method: "DELETE", target: "/healthz", wantCode: 405, wantHeader: map[string]string{"Allow": "GET, HEAD"}},
	{name: "OPTIONS is 405", state: healthy, method: "OPTIONS", target: "/readyz/db", wantCode: 405, wantHeader: map[string]string{"Allow": "GET, HEAD"}},
	{name: "PUT on a near miss goes to the app", state: healthy, method: "PUT", target: "/healthz/", wantCode: 401},
	{name: "probe headers", state: healthy, target: "/readyz", wantCode: 200,
		wantHeader: map[string]string{"Cache-Control": "no-store", "Content-Type": "application/json", "X-Content-Type-Options": "nosniff"}},
	{name: "503 is not cached either", state: unhealthy, target: "/readyz", wantCode: 503, wantHeader: map[string]string{"Cache-Control": "no-store"}},
	{name: "unknown query parameters are ignored", state: healthy, target: "/readyz?verbose=0&cachebust=17", wantCode: 200, wantCT: ctJSON},

	// The app behind the probes.
	{name: "API without a token", state: healthy, target: "/api/whoami", wantCode: 401},
	{name: "API with a token", state: healthy, target: "/api/whoami", header: bearer, wantCode: 200, wantBody: `{"user":"demo"}`},
	{name: "probes need no token while the app's DB-connect fails", state: appDBDown, target: "/readyz", wantCode: 200, wantStatus: "ok"},
	{name: "liveness while the app's DB-connect fails", state: appDBDown, target: "/healthz", wantCode: 200},
	{name: "the app's DB-connect failing", state: appDBDown, target: "/api/whoami", header: bearer, wantCode: 500},

	// Path confusion: never a probe, always the app's auth.
	{name: "dot segments", state: healthy, target: "/healthz/../api/whoami", wantCode: 401},
	{name: "dot segments after readyz", state: healthy, target: "/readyz/../api/whoami", wantCode: 401},
	{name: "encoded slashes", state: healthy, target: "/healthz%2F..%2Fapi%2Fwhoami", wantCode: 401},
	{name: "encoded letter", state: healthy, target: "/health%7A", wantCode: 401},
	{name: "double slash", state: healthy, target: "//healthz", wantCode: 401},
	{name: "upper case", state: healthy, target: "/HEALTHZ", wantCode: 401},
	{name: "mixed case", state: healthy, target: "/Readyz", wantCode: 401},
	{name: "trailing slash", state: healthy, target: "/healthz/", wantCode: 401},
	{name: "longer name", state: healthy, target: "/healthzz", wantCode: 401},
	{name: "check subpath with trailing slash", state: healthy, target: "/readyz/redis/", wantCode: 401},
	{name: "nested under a check", state: healthy, target: "/readyz/redis/api", wantCode: 401},
	{name: "probe below another path", state: healthy, target: "/api/healthz", wantCode: 401},
	{name: "semicolon parameter", state: healthy, target: "/healthz;x=1", wantCode: 401},
	{name: "near miss reaches the app's router", state: healthy, target: "/healthz/", header: bearer, wantCode: 404},
}

func TestConformance(t *testing.T) {
	if n := len(conformance); n < 30 {
		t.Fatalf("conformance table has %d cases; want at least 30", n)
	}
	for _, a := range adapters {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			// One Health per state, shared by the cases of that state.
			byState := map[state][]conformanceCase{}
			for _, tt := range conformance {
				byState[tt.state] = append(byState[tt.state], tt)
			}
			for s, cases := range byState {
				t.Run(string(s), func(t *testing.T) {
					deps := &appDeps{}
					h := fixture(t, s, deps)
					serve := a.build(t, h, deps)
					for _, tt := range cases {
						t.Run(tt.name, func(t *testing.T) {
							method := tt.method
							if method == "" {
								method = http.MethodGet
							}
							r := httptest.NewRequest(method, tt.target, nil)
							for k, v := range tt.header {
								r.Header.Set(k, v)
							}
							resp := serve(r)
							b, err := io.ReadAll(resp.Body)
							_ = resp.Body.Close()
							if err != nil {
								t.Fatal(err)
							}
							checkResponse(t, tt, resp, string(b))
							if method == http.MethodHead {
								// HEAD answers with GET's headers, without the body.
								get := serve(httptest.NewRequest(http.MethodGet, tt.target, nil))
								gb, _ := io.ReadAll(get.Body)
								_ = get.Body.Close()
								if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(gb)) || get.StatusCode != resp.StatusCode {
									t.Errorf("HEAD %s: %d Content-Length %s; GET gives %d with %d bytes", tt.target, resp.StatusCode, cl, get.StatusCode, len(gb))
								}
							}
						})
					}
				})
			}
		})
	}
}

func checkResponse(t *testing.T, tt conformanceCase, resp *http.Response, b string) {
	t.Helper()
	req := tt.method + " " + tt.target
	if resp.StatusCode != tt.wantCode {
		t.Errorf("%s: status %d; want %d (body %q)", req, resp.StatusCode, tt.wantCode, b)
	}
	if tt.wantCT != "" && resp.Header.Get("Content-Type") != tt.wantCT {
		t.Errorf("%s: Content-Type %q; want %q", req, resp.Header.Get("Content-Type"), tt.wantCT)
	}
	if (tt.wantBody != "" || tt.method == "HEAD") && testenv.StripInfo(b) != tt.wantBody {
		t.Errorf("%s: body %q; want %q", req, b, tt.wantBody)
	}
	for k, v := range tt.wantHeader {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s: header %s = %q; want %q", req, k, got, v)
		}
	}
	for _, s := range tt.wantContains {
		if !strings.Contains(b, s) {
			t.Errorf("%s: body %s; want it to contain %s", req, b, s)
		}
	}
	for _, s := range tt.wantAbsent {
		if strings.Contains(b, s) {
			t.Errorf("%s: body %s; must not contain %q", req, b, s)
		}
	}
	if tt.wantStatus == "" && tt.wantChecks == nil {
		return
	}
	var v struct {
		Status string                     `json:"status"`
		Checks map[string]json.RawMessage `json:"checks"`
	}
	if err := json.Unmarshal([]byte(b), &v); err != nil {
		t.Fatalf("%s: body %q is not JSON: %v", req, b, err)
	}
	if tt.wantStatus != "" && v.Status != tt.wantStatus {
		t.Errorf("%s: status field %q; want %q", req, v.Status, tt.wantStatus)
	}
	if tt.wantChecks != nil && resp.Header.Get("Content-Type") == ctJSON {
		var names []string
		for n := range v.Checks {
			names = append(names, n)
		}
		if strings.Join(slices.Sorted(slices.Values(names)), ",") != strings.Join(tt.wantChecks, ",") {
			t.Errorf("%s: checks %v; want %v", req, slices.Sorted(slices.Values(names)), tt.wantChecks)
		}
	}
}
