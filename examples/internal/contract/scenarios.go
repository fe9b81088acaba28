package contract

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/probekit/probekit/internal/testenv"
)

// basics checks the probes and the API of a healthy app.
func (a *app) basics() {
	a.t.Helper()
	if a.ex.grpc {
		a.eventually(`gRPC Check("") is SERVING`, func() bool { return a.grpcStatus("") == serving })
		a.expectWhoami("", codes.Unauthenticated)
		a.expectWhoami("wrong", codes.Unauthenticated)
		a.expectWhoami(Token, codes.OK)
	} else {
		a.eventually("GET /readyz answers 200", func() bool { return a.code("/readyz", "") == 200 })
		a.expect("/healthz", "", 200, `{"status":"ok"}`)
		a.expect("/livez", "", 200, `"status":"ok"`)
		a.expect("/readyz", "", 200, `"redis":{"status":"ok"`)
		a.expect("/readyz?verbose", "", 200, "[+]redis ok\n[+]db ok\nreadiness check passed\n")
		a.expect("/readyz/db", "", 200, `"db":{"status":"ok"`)
		a.expect("/api/whoami", "", 401, "unauthorized")
		a.expect("/api/whoami", "wrong", 401, "unauthorized")
		a.expect("/api/whoami", Token, 200, `{"user":"demo"}`)
		a.expect("/healthz%2F..%2Fapi%2Fwhoami", "", 401, "")
	}
	if a.ex.grpc {
		a.expectGRPC(serving, "", "readiness", "liveness", "startup", "redis", "db")
		if _, err := a.grpcCheck("no-such-service"); status.Code(err) != codes.NotFound {
			a.t.Errorf(`gRPC Check("no-such-service") = %v; want NotFound`, err)
		}
	}
}

// ready reports whether readiness passes: GET /readyz answers 200, or the
// gRPC "readiness" service is SERVING.
func (a *app) ready() bool {
	if a.ex.grpc {
		return a.grpcStatus("readiness") == serving
	}
	return a.code("/readyz", "") == 200
}

// checkDown reports whether check fails: /readyz/<check> answers 503
// unhealthy, or the gRPC service of that name is NOT_SERVING.
func (a *app) checkDown(check string) bool {
	if a.ex.grpc {
		return a.grpcStatus(check) == notServing
	}
	code, body := a.get("/readyz/"+check, "")
	return code == 503 && strings.Contains(body, `"status":"unhealthy"`)
}

// drain sends SIGTERM and checks: readiness 503 (gRPC: NOT_SERVING) at
// once, liveness 200 (SERVING) during the drain delay, exit status 0.
func (a *app) drain() {
	a.t.Helper()
	var w *watcher
	if a.ex.grpc {
		w = a.watch("", serving)
	}
	a.sigterm()
	if a.ex.grpc {
		w.next(notServing)
		a.expectGRPC(serving, "liveness")
		a.expectGRPC(notServing, "", "readiness")
	} else {
		a.eventually("GET /readyz answers 503 after SIGTERM", func() bool { return a.code("/readyz", "") == 503 })
		a.expect("/readyz", "", 503, `"status":"draining"`)
		a.expect("/healthz", "", 200, `{"status":"ok"}`)
	}
	if code := a.exited(); code != 0 {
		a.t.Errorf("exit status after SIGTERM %d; want 0", code)
	}
}

// embedded runs the example as a new user would: no configuration, an
// embedded Redis and an embedded SQL database, and none of the optional
// servers or files.
func embedded(t *testing.T, ex example) {
	a := start(t, ex)
	a.basics()
	out := a.out.String()
	if !strings.Contains(out, "embedded") {
		t.Errorf("the example did not log that it started embedded servers:\n%s", out)
	}
	for _, s := range []string{"health probe server", "health status file"} {
		if strings.Contains(out, s) {
			t.Errorf("the example logged %q with HEALTH_ADDR and HEALTH_STATUS_FILE unset:\n%s", s, out)
		}
	}
	if code, msg := a.execProbe(); code != 1 || !strings.Contains(msg, "HEALTH_STATUS_FILE is not set") {
		t.Errorf("app -ready without HEALTH_STATUS_FILE: exit %d %q; want 1 saying it is not set", code, msg)
	}
	a.drain()
}

// redisOutage runs against a test-owned Redis and the real PostgreSQL,
// kills Redis, brings it back, hangs it, and resumes it, with (gRPC) a
// Watch open on "" and on "redis" throughout.
func redisOutage(t *testing.T, ex example) {
	redis := testenv.StartRedis(t)
	dsn := testenv.PostgresDSN(t)
	a := start(t, ex, append([]string{"REDIS_ADDR=" + redis.Addr(), "DATABASE_URL=" + dsn}, fast...)...)
	a.basics()
	var all, redisW *watcher
	if ex.grpc {
		all, redisW = a.watch("", serving), a.watch("redis", serving)
	}

	for _, outage := range []struct {
		name       string
		stop, back func()
	}{
		{"redis killed", redis.Stop, redis.Restart},
		{"redis hung (SIGSTOP)", redis.Pause, redis.Resume},
	} {
		outage.stop()
		a.eventually("the redis check fails with "+outage.name, func() bool { return a.checkDown("redis") })
		if ex.grpc {
			a.expectWhoami(Token, codes.OK)
			a.expectGRPC(notServing, "", "readiness", "redis")
			a.expectGRPC(serving, "liveness", "db")
			redisW.next(notServing)
			all.next(notServing)
		} else {
			a.expect("/readyz", "", 503, `"status":"unhealthy"`)
			a.expect("/readyz?verbose", "", 503, "[-]redis failed: reason withheld\n[+]db ok\n")
			a.expect("/healthz", "", 200, `{"status":"ok"}`)
			a.expect("/api/whoami", Token, 200, `{"user":"demo"}`)
		}

		outage.back()
		a.eventually("readiness passes after "+outage.name, a.ready)
		if ex.grpc {
			redisW.next(serving)
			all.next(serving)
		}
	}
	a.drain()
}

// databaseOutage puts a proxy between the app and the real PostgreSQL and
// makes it refuse: probes keep answering without a token, readiness is 503,
// and the API's DB-connect middleware fails requests.
func databaseOutage(t *testing.T, ex example) {
	dsn := testenv.PostgresDSN(t)
	pgAddr := testenv.Env("TEST_POSTGRES_ADDR", testenv.DefaultPostgresAddr)
	proxy := testenv.NewProxy(t, pgAddr)
	proxied := strings.Replace(dsn, pgAddr, proxy.Addr(), 1)
	a := start(t, ex, append([]string{"DATABASE_URL=" + proxied}, fast...)...)
	a.basics()

	proxy.Refuse()
	a.eventually("the db check fails with the database down", func() bool { return a.checkDown("db") })
	if ex.grpc {
		a.expectGRPC(notServing, "", "readiness", "db")
		a.expectGRPC(serving, "liveness", "redis")
		a.expectWhoami(Token, codes.Unavailable)
		a.expectWhoami("", codes.Unauthenticated)
	} else {
		a.expect("/readyz?verbose", "", 503, "[+]redis ok\n[-]db failed: reason withheld\n")
		a.expect("/healthz", "", 200, `{"status":"ok"}`)
		a.expect("/api/whoami", Token, 500, "database unavailable")
		a.expect("/api/whoami", "", 401, "unauthorized")
	}
	proxy.Pass()
	a.eventually("readiness passes with the database back", a.ready)
	if ex.grpc {
		a.expectWhoami(Token, codes.OK)
	} else {
		a.expect("/api/whoami", Token, 200, `{"user":"demo"}`)
	}
	a.drain()
}

// probeServerAndStatusFile sets HEALTH_ADDR and HEALTH_STATUS_FILE: the
// probes and /metrics on the probe server, the status file and the exec
// probe (and, for gRPC, the health service), all following the same state,
// through a drain.
func probeServerAndStatusFile(t *testing.T, ex example) {
	probe := "http://" + testenv.FreeAddr(t)
	file := filepath.Join(t.TempDir(), "ready.json")
	a := start(t, ex, "HEALTH_ADDR="+strings.TrimPrefix(probe, "http://"), "HEALTH_STATUS_FILE="+file)
	a.basics()

	a.eventually("GET /readyz on the probe server answers 200", func() bool { return a.code(probe+"/readyz", "") == 200 })
	a.expect(probe+"/healthz", "", 200, `{"status":"ok"}`)
	a.expect(probe+"/readyz?verbose", "", 200, "[+]redis ok\n[+]db ok\nreadiness check passed\n")
	a.expect(probe+"/readyz/redis", "", 200, `"redis":{"status":"ok"`)
	a.expect(probe+"/metrics", "", 200, `probekit_check_status{check="redis",state="ok"} 1`)
	a.expect(probe+"/metrics", "", 200, `probekit_check_status{check="db",state="unhealthy"} 0`)
	a.expect(probe+"/metrics", "", 200, `probekit_probe_status{probe="readiness",state="ok"} 1`)
	a.expect(probe+"/api/whoami", Token, 404, "")
	if want := "health probe server listening"; !strings.Contains(a.out.String(), want) { // embedded asserts it absent without HEALTH_ADDR
		t.Errorf("the example did not log %q:\n%s", want, a.out)
	}

	a.eventually("the status file says ok", func() bool {
		b, err := os.ReadFile(file)
		return err == nil && strings.Contains(string(b), `"status":"ok"`)
	})
	if code, msg := a.execProbe(); code != 0 {
		t.Errorf("app -ready while ready: exit %d %q; want 0", code, msg)
	}

	a.sigterm()
	a.eventually("GET /readyz on the probe server answers 503 after SIGTERM", func() bool { return a.code(probe+"/readyz", "") == 503 })
	a.expect(probe+"/readyz", "", 503, `"status":"draining"`)
	a.expect(probe+"/healthz", "", 200, `{"status":"ok"}`)
	a.expect(probe+"/metrics", "", 200, `probekit_probe_status{probe="readiness",state="draining"} 1`)
	if ex.grpc {
		a.expectGRPC(notServing, "", "readiness")
		a.expectGRPC(serving, "liveness")
	}
	a.eventually("app -ready fails while draining", func() bool {
		code, msg := a.execProbe()
		return code == 1 && strings.Contains(msg, "draining")
	})
	if code := a.exited(); code != 0 {
		t.Errorf("exit status after SIGTERM %d; want 0", code)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("status file after exit: Stat() = %v; want it removed", err)
	}
	if code, _ := a.execProbe(); code != 1 {
		t.Errorf("app -ready after exit: exit %d; want 1", code)
	}
}

// badEnvironment starts the example with HEALTH_* values that do not
// parse: it exits 1 at once with an error naming each.
func badEnvironment(t *testing.T, ex example) {
	a := launch(t, ex, "HEALTH_INTERVAL=5", "HEALTH_FAILURE_THRESHOLD=0")
	if code := a.exited(); code != 1 {
		t.Errorf("exit status with bad HEALTH_* values %d; want 1", code)
	}
	out := a.out.String()
	for _, want := range []string{`HEALTH_INTERVAL=\"5\"`, "HEALTH_FAILURE_THRESHOLD"} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not name %s:\n%s", want, out)
		}
	}
}

// probePortTaken starts the example with HEALTH_ADDR on a port that is
// already taken: Start fails, and the example exits 1 saying why instead
// of serving a readiness that never leaves "starting".
func probePortTaken(t *testing.T, ex example) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	a := launch(t, ex, "HEALTH_ADDR="+ln.Addr().String())
	if code := a.exited(); code != 1 {
		t.Errorf("exit status with HEALTH_ADDR taken %d; want 1", code)
	}
	if out := a.out.String(); !strings.Contains(out, "probe server") || !strings.Contains(out, "address already in use") {
		t.Errorf("output does not say the probe server's address is in use:\n%s", out)
	}
}
