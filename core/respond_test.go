package core_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// started returns a started Health with a passing "redis", a failing
// non-critical "cache" and a failing critical "db" whose error carries a
// password, inside a synctest bubble, with every check's first result in.
func started(t *testing.T, opts ...core.Option) *core.Health {
	t.Helper()
	redis, cache, db := &switchable{}, &switchable{}, &switchable{}
	cache.set(errors.New("dial tcp 10.1.2.3:11211: i/o timeout"))
	db.set(errors.New(`connect "postgres://app:hunter2@db.internal:5432/app": connection refused`))
	h := mustNew(t, append([]core.Option{
		core.WithCheck("redis", redis),
		core.WithCheck("cache", cache, core.Critical(false)),
		core.WithCheck("db", db),
		core.WithLogger(nil),
		core.WithBuildInfo(core.BuildInfo{Service: "probekit-test", Version: "v1.2.3", Revision: "abc1234", GoVersion: "go1.99"}),
	}, opts...)...)
	_ = h.Start(context.Background())
	synctest.Wait()
	return h
}

func TestResponses(t *testing.T) {
	t.Parallel()
	const at = `"checked_at":"2000-01-01T00:00:00.000Z"`
	tests := []struct {
		name     string
		target   string
		accept   string
		details  bool
		wantCode int
		wantCT   string
		wantBody string
	}{
		{
			name: "liveness", target: "/healthz",
			wantCode: 200, wantCT: "application/json",
			wantBody: `{"status":"ok"}` + "\n",
		},
		{
			name: "livez alias", target: "/livez",
			wantCode: 200, wantCT: "application/json",
			wantBody: `{"status":"ok"}` + "\n",
		},
		{
			name: "readiness", target: "/readyz",
			wantCode: 503, wantCT: "application/json",
			wantBody: `{"status":"unhealthy","checks":{` +
				`"redis":{"status":"ok","duration":"0s",` + at + `,"failures":0},` +
				`"cache":{"status":"unhealthy","duration":"0s",` + at + `,"failures":1,"critical":false},` +
				`"db":{"status":"unhealthy","duration":"0s",` + at + `,"failures":1}}}` + "\n",
		},
		{
			name: "readiness with details", target: "/readyz", details: true,
			wantCode: 503, wantCT: "application/json",
			wantBody: `{"status":"unhealthy","checks":{` +
				`"redis":{"status":"ok","duration":"0s",` + at + `,"failures":0},` +
				`"cache":{"status":"unhealthy","duration":"0s",` + at + `,"failures":1,"critical":false,"error":"dial tcp 10.1.2.3:11211: i/o timeout"},` +
				`"db":{"status":"unhealthy","duration":"0s",` + at + `,"failures":1,"error":"connect \"postgres://app:xxxxx@db.internal:5432/app\": connection refused"}}}` + "\n",
		},
		{
			name: "one check", target: "/readyz/redis",
			wantCode: 200, wantCT: "application/json",
			wantBody: `{"status":"ok","checks":{"redis":{"status":"ok","duration":"0s",` + at + `,"failures":0}}}` + "\n",
		},
		{
			name: "one failing check", target: "/readyz/db",
			wantCode: 503, wantCT: "application/json",
			wantBody: `{"status":"unhealthy","checks":{"db":{"status":"unhealthy","duration":"0s",` + at + `,"failures":1}}}` + "\n",
		},
		{
			name: "one failing non-critical check", target: "/readyz/cache",
			wantCode: 503, wantCT: "application/json",
			wantBody: `{"status":"unhealthy","checks":{"cache":{"status":"unhealthy","duration":"0s",` + at + `,"failures":1,"critical":false}}}` + "\n",
		},
		{
			name: "unknown check", target: "/readyz/nosuch",
			wantCode: 404, wantCT: "application/json",
			wantBody: `{"error":"unknown check"}` + "\n",
		},
		{
			name: "readiness check under liveness", target: "/healthz/redis",
			wantCode: 404, wantCT: "application/json",
			wantBody: `{"error":"unknown check"}` + "\n",
		},
		{
			name: "verbose", target: "/readyz?verbose",
			wantCode: 503, wantCT: "text/plain; charset=utf-8",
			wantBody: "info: service=probekit-test version=v1.2.3 revision=abc1234 go=go1.99\n" + "[+]redis ok\n[-]cache failed (non-critical): reason withheld\n[-]db failed: reason withheld\nreadiness check failed\n",
		},
		{
			name: "verbose=1 with details", target: "/readyz?verbose=1", details: true,
			wantCode: 503, wantCT: "text/plain; charset=utf-8",
			wantBody: "info: service=probekit-test version=v1.2.3 revision=abc1234 go=go1.99\n" + "[+]redis ok\n[-]cache failed (non-critical): dial tcp 10.1.2.3:11211: i/o timeout\n" +
				"[-]db failed: connect \"postgres://app:xxxxx@db.internal:5432/app\": connection refused\nreadiness check failed\n",
		},
		{
			name: "verbose=false is JSON", target: "/readyz/redis?verbose=false",
			wantCode: 200, wantCT: "application/json",
			wantBody: `{"status":"ok","checks":{"redis":{"status":"ok","duration":"0s",` + at + `,"failures":0}}}` + "\n",
		},
		{
			name: "verbose liveness", target: "/healthz?verbose",
			wantCode: 200, wantCT: "text/plain; charset=utf-8",
			wantBody: "info: service=probekit-test version=v1.2.3 revision=abc1234 go=go1.99\n" + "liveness check passed\n",
		},
		{
			name: "verbose one check", target: "/readyz/redis?verbose",
			wantCode: 200, wantCT: "text/plain; charset=utf-8",
			wantBody: "[+]redis ok\nredis check passed\n",
		},
		{
			name: "exclude the failing critical check", target: "/readyz?exclude=db",
			wantCode: 200, wantCT: "application/json",
			wantBody: `{"status":"degraded","checks":{` +
				`"redis":{"status":"ok","duration":"0s",` + at + `,"failures":0},` +
				`"cache":{"status":"unhealthy","duration":"0s",` + at + `,"failures":1,"critical":false}}}` + "\n",
		},
		{
			name: "exclude repeated, verbose", target: "/readyz?exclude=db&verbose&exclude=cache&exclude=nosuch&exclude=%3Cbad%3E",
			wantCode: 200, wantCT: "text/plain; charset=utf-8",
			wantBody: "info: service=probekit-test version=v1.2.3 revision=abc1234 go=go1.99\n" + "[+]redis ok\n[+]cache excluded: ok\n[+]db excluded: ok\n" +
				"warn: some health checks cannot be excluded: no matches for \"nosuch\"\nreadiness check passed\n",
		},
		{
			name: "exclude with an escaped name", target: "/readyz?exclude=d%62&exclude=cach%65",
			wantCode: 200, wantCT: "application/json",
			wantBody: `{"status":"ok","checks":{"redis":{"status":"ok","duration":"0s",` + at + `,"failures":0}}}` + "\n",
		},
		{
			name: "unrelated query parameters are ignored", target: "/readyz/redis?cachebust=123&x",
			wantCode: 200, wantCT: "application/json",
			wantBody: `{"status":"ok","checks":{"redis":{"status":"ok","duration":"0s",` + at + `,"failures":0}}}` + "\n",
		},
		{
			name: "IETF", target: "/readyz", accept: "application/health+json",
			wantCode: 503, wantCT: "application/health+json",
			wantBody: `{"status":"fail","output":"check db failing","version":"v1.2.3","releaseId":"abc1234","serviceId":"probekit-test","checks":{` +
				`"redis:responseTime":[{"componentId":"redis","status":"pass","time":"2000-01-01T00:00:00.000Z","observedValue":0,"observedUnit":"ms"}],` +
				`"cache:responseTime":[{"componentId":"cache","status":"warn","time":"2000-01-01T00:00:00.000Z","observedValue":0,"observedUnit":"ms"}],` +
				`"db:responseTime":[{"componentId":"db","status":"fail","time":"2000-01-01T00:00:00.000Z","observedValue":0,"observedUnit":"ms"}]}}` + "\n",
		},
		{
			name: "IETF in a list, any case, with details", target: "/readyz?exclude=db", accept: "text/html, Application/Health+JSON;q=0.9", details: true,
			wantCode: 200, wantCT: "application/health+json",
			wantBody: `{"status":"warn","output":"check cache degraded","version":"v1.2.3","releaseId":"abc1234","serviceId":"probekit-test","checks":{` +
				`"redis:responseTime":[{"componentId":"redis","status":"pass","time":"2000-01-01T00:00:00.000Z","observedValue":0,"observedUnit":"ms"}],` +
				`"cache:responseTime":[{"componentId":"cache","status":"warn","time":"2000-01-01T00:00:00.000Z","observedValue":0,"observedUnit":"ms","output":"dial tcp 10.1.2.3:11211: i/o timeout"}]}}` + "\n",
		},
		{
			name: "IETF liveness", target: "/healthz", accept: "application/health+json",
			wantCode: 200, wantCT: "application/health+json",
			wantBody: `{"status":"pass","version":"v1.2.3","releaseId":"abc1234","serviceId":"probekit-test","checks":{}}` + "\n",
		},
		{
			name: "startup without startup checks", target: "/startupz",
			wantCode: 200, wantCT: "application/json",
			wantBody: `{"status":"ok"}` + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				h := started(t)
				r := httptest.NewRequest("GET", tt.target, nil)
				if tt.accept != "" {
					r.Header.Set("Accept", tt.accept)
				}
				req := probehttp.HTTPRequest(r)
				req.Details = tt.details
				resp := probehttp.Respond(h, req)
				if resp == nil {
					t.Fatalf("Respond(%s) = nil; want an answer", tt.target)
				}
				if resp.StatusCode() != tt.wantCode {
					t.Errorf("GET %s: status %d; want %d", tt.target, resp.StatusCode(), tt.wantCode)
				}
				if resp.ContentType() != tt.wantCT {
					t.Errorf("GET %s: Content-Type %q; want %q", tt.target, resp.ContentType(), tt.wantCT)
				}
				if got := string(resp.Body()); got != tt.wantBody {
					t.Errorf("GET %s: body\n%s\nwant\n%s", tt.target, got, tt.wantBody)
				}
				if strings.Contains(tt.wantCT, "json") && !json.Valid(resp.Body()) {
					t.Errorf("GET %s: body is not valid JSON", tt.target)
				}
			})
		})
	}
}

func TestDetailsOption(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := started(t, core.WithDetails(true))
		b := decode(t, get(t, h, "/readyz"))
		if got := b.Checks["cache"].Error; got != "dial tcp 10.1.2.3:11211: i/o timeout" {
			t.Errorf("error with WithDetails(true) = %q", got)
		}
		if strings.Contains(body(t, get(t, h, "/readyz")), "hunter2") {
			t.Error("body leaks a password")
		}
	})
}

func TestMethods(t *testing.T) {
	t.Parallel()
	h := mustNew(t, core.WithLogger(nil))
	for _, method := range []string{"POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "get"} {
		for _, path := range []string{"/healthz", "/readyz", "/readyz/nosuch", "/startupz"} {
			w := httptest.NewRecorder()
			resp := probehttp.Respond(h, probehttp.Request{Method: method, Path: path})
			if resp == nil {
				t.Fatalf("Respond(%s %s) = nil; want 405", method, path)
			}
			resp.WriteHTTP(w, method)
			if w.Code != 405 || w.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s = %d Allow %q; want 405 Allow \"GET, HEAD\"", method, path, w.Code, w.Header().Get("Allow"))
			}
			if w.Body.String() != `{"error":"method not allowed"}`+"\n" {
				t.Errorf("%s %s body = %q", method, path, w.Body.String())
			}
		}
	}
}

func TestHeadersAndHEAD(t *testing.T) {
	t.Parallel()
	h := mustNew(t, core.WithLogger(nil))
	for _, method := range []string{"GET", "HEAD"} {
		w := httptest.NewRecorder()
		probehttp.Respond(h, probehttp.Request{Method: method, Path: "/healthz"}).WriteHTTP(w, method)
		want := http.Header{
			"Content-Type":           {"application/json"},
			"Content-Length":         {"16"},
			"Cache-Control":          {"no-store"},
			"X-Content-Type-Options": {"nosniff"},
		}
		for k, v := range want {
			if got := w.Header()[k]; len(got) != 1 || got[0] != v[0] {
				t.Errorf("%s /healthz header %s = %q; want %q", method, k, got, v)
			}
		}
		wantBody := `{"status":"ok"}` + "\n"
		if method == "HEAD" {
			wantBody = ""
		}
		if w.Code != 200 || w.Body.String() != wantBody {
			t.Errorf("%s /healthz = %d %q; want 200 %q", method, w.Code, w.Body.String(), wantBody)
		}
	}
}

func TestProbePathMatching(t *testing.T) {
	t.Parallel()
	h := mustNew(t, core.WithCheck("redis", &switchable{}), core.WithLogger(nil))
	tests := []struct {
		target string
		want   bool
	}{
		{"/healthz", true},
		{"/livez", true},
		{"/readyz", true},
		{"/startupz", true},
		{"/readyz/redis", true},
		{"/readyz/nosuch", true}, // answered 404 by the probes
		{"/readyz?verbose", true},
		{"/healthz/", false},
		{"/readyz/", false},
		{"/HEALTHZ", false},
		{"/Healthz", false},
		{"//healthz", false},
		{"/healthz//", false},
		{"/./healthz", false},
		{"/healthz/.", false},
		{"/healthz/..", false},
		{"/healthz/../api/x", false},
		{"/readyz/../api/x", false},
		{"/readyz/redis/", false},
		{"/readyz/redis/x", false},
		{"/readyz/redis/..", false},
		{"/healthz%2F..%2Fapi", false},
		{"/readyz%2Fredis", false},
		{"/health%7A", false},
		{"/healthzz", false},
		{"/healthz.json", false},
		{"/healthz;x", false},
		{"/api/healthz", false},
		{"/", false},
		{"", false},
		{"*", false},
		{"/readyz/.hidden", false},
		{"/readyz/-x", false},
		{"/readyz/" + strings.Repeat("a", 64), false},
	}
	for _, tt := range tests {
		var path string
		if tt.target == "" || tt.target == "*" {
			path = tt.target
		} else {
			req := probehttp.HTTPRequest(httptest.NewRequest("GET", tt.target, nil))
			path = req.Path
		}
		if got := probehttp.IsProbePath(h, path); got != tt.want {
			t.Errorf("IsProbePath(%q) = %v; want %v", tt.target, got, tt.want)
		}
		if got := probehttp.Respond(h, probehttp.Request{Method: "GET", Path: path}) != nil; got != tt.want {
			t.Errorf("Respond(%q) != nil is %v; want %v (must agree with IsProbePath)", tt.target, got, tt.want)
		}
	}
}

func TestCustomPaths(t *testing.T) {
	t.Parallel()
	h := mustNew(t, core.WithLogger(nil),
		core.WithPaths(core.Liveness, "/internal/alive"),
		core.WithPaths(core.Readiness, "/internal/ready", "/ready"),
		core.WithPaths(core.Startup))
	for path, want := range map[string]bool{
		"/internal/alive": true, "/internal/ready": true, "/ready": true,
		"/healthz": false, "/livez": false, "/readyz": false, "/startupz": false, "/internal": false,
	} {
		if got := probehttp.IsProbePath(h, path); got != want {
			t.Errorf("IsProbePath(%q) = %v; want %v", path, got, want)
		}
	}
	if r := probehttp.RespondProbe(h, core.Startup, probehttp.Request{Method: "GET"}); r == nil || r.StatusCode() != 200 {
		t.Error("RespondProbe(Startup) must answer even with the startup path turned off")
	}
	if r := probehttp.RespondProbe(h, core.Liveness|core.Readiness, probehttp.Request{Method: "GET"}); r != nil {
		t.Error("RespondProbe(Liveness|Readiness) = non-nil; want nil for a combination")
	}
}

func TestQueryWorkIsBounded(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := started(t)
		huge := strings.Repeat("exclude=db&", 100000) + "exclude=%ZZ&exclude=\xff\xfe&verbose"
		resp := probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/readyz", RawQuery: huge, Accept: strings.Repeat("x", 1<<20)})
		if resp == nil || resp.StatusCode() != 200 || !json.Valid(resp.Body()) {
			t.Fatalf("huge query: %v; want a valid 200 JSON answer (db excluded, trailing verbose beyond the parameter limit ignored)", resp)
		}
	})
}

func TestProbeAllocatesNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := started(t)
		w := &discardWriter{h: http.Header{}}
		// The first request for an answer after a change renders it; every
		// later one, until the next change, reads it and allocates nothing.
		// ReadMemStats counts the whole process, and the runtime itself
		// allocates now and then (a new thread when the world restarts), so
		// the second request is measured after each of five new results and
		// the fewest count: a render on every probe would cost 3 or more
		// every time.
		targets := []string{"/healthz", "/readyz", "/readyz/redis"}
		fewest := map[string]uint64{}
		for attempt := range 5 {
			if attempt > 0 {
				step(10 * time.Second) // a new result for every check
			}
			for _, target := range targets {
				r := httptest.NewRequest("GET", target, nil)
				probehttp.Respond(h, probehttp.HTTPRequest(r)) // renders, once per change
				var m0, m1 runtime.MemStats
				runtime.ReadMemStats(&m0)
				resp := probehttp.Respond(h, probehttp.HTTPRequest(r))
				runtime.ReadMemStats(&m1)
				resp.WriteHTTP(w, r.Method)
				if n, ok := fewest[target]; !ok || m1.Mallocs-m0.Mallocs < n {
					fewest[target] = m1.Mallocs - m0.Mallocs
				}
			}
		}
		for _, target := range targets {
			if n := fewest[target]; n != 0 {
				t.Errorf("second GET %s after a result: %d allocations at the fewest of 5; want 0 (rendered by the first)", target, n)
			}
		}
		for _, target := range []string{"/healthz", "/readyz", "/readyz/redis", "/readyz?verbose", "/readyz?cachebust=1"} {
			r := httptest.NewRequest("GET", target, nil)
			r.Header.Set("Accept", "application/health+json")
			allocs := testing.AllocsPerRun(100, func() {
				probehttp.Respond(h, probehttp.HTTPRequest(r)).WriteHTTP(w, r.Method)
			})
			if allocs != 0 {
				t.Errorf("GET %s: %v allocations per probe; want 0", target, allocs)
			}
		}
		r := httptest.NewRequest("GET", "/api/users", nil)
		if allocs := testing.AllocsPerRun(100, func() { probehttp.Respond(h, probehttp.HTTPRequest(r)) }); allocs != 0 {
			t.Errorf("non-probe: %v allocations; want 0", allocs)
		}
	})
}

type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }

func TestAnswerFollowsResults(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		chk := &switchable{}
		h := mustNew(t, core.WithCheck("db", chk, core.Interval(time.Second), core.Jitter(0), core.FailureThreshold(1)), core.WithLogger(nil))
		_ = h.Start(context.Background())
		synctest.Wait()
		first := get(t, h, "/readyz/db")
		step(time.Second)
		second := body(t, get(t, h, "/readyz/db"))
		if b := body(t, first); b == second || !strings.Contains(second, `"checked_at":"2000-01-01T00:00:01.000Z"`) {
			t.Errorf("body after a new result = %s; want the new check time", second)
		}
	})
}
