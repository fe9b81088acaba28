// Package contract drives an example app as a process, the way a user and
// Kubernetes would, and checks the example contract every example shares:
// probes without a token, 401 on the API without one, readiness 503 while
// its Redis or database is down with liveness 200, recovery, and drain on
// SIGTERM. Each example's test calls [Run] with its package path.
package contract

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/probekit/probekit/internal/testenv"
)

// Token is the API token the contract tests run the examples with.
const Token = "contract-token"

// wait bounds every condition the contract polls for; a healthy machine
// meets each within a few hundred milliseconds.
const wait = 20 * time.Second

// Run builds the example at pkg (such as "./examples/nethttp", relative to
// the module root) and runs the contract scenarios against it.
func Run(t *testing.T, pkg string) {
	bin := build(t, pkg)
	t.Run("embedded", func(t *testing.T) { t.Parallel(); embedded(t, bin) })
	t.Run("redis-outage", func(t *testing.T) { t.Parallel(); redisOutage(t, bin) })
	t.Run("database-outage", func(t *testing.T) { t.Parallel(); databaseOutage(t, bin) })
}

// build compiles the example once into a temporary directory.
func build(t *testing.T, pkg string) string {
	t.Helper()
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "app")
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(root)))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// app is a running example.
type app struct {
	t      *testing.T
	cmd    *exec.Cmd
	base   string
	client *http.Client
	out    *syncBuffer
	done   chan struct{}
	err    error
}

// start runs bin with the contract's environment plus env and waits until
// it answers /healthz.
func start(t *testing.T, bin string, env ...string) *app {
	t.Helper()
	addr := testenv.FreeAddr(t)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), append([]string{
		"ADDR=" + addr,
		"API_TOKEN=" + Token,
		"REDIS_ADDR=", "DATABASE_URL=",
		"HEALTH_DRAIN_DELAY=3s",
	}, env...)...)
	a := &app{t: t, cmd: cmd, base: "http://" + addr, out: &syncBuffer{}, done: make(chan struct{}),
		client: &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}
	cmd.Stdout, cmd.Stderr = a.out, a.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() {
		a.err = cmd.Wait()
		close(a.done)
	}()
	t.Cleanup(func() {
		select {
		case <-a.done:
		default:
			_ = cmd.Process.Kill()
			<-a.done
		}
		if t.Failed() {
			t.Logf("example output:\n%s", a.out.String())
		}
	})
	a.eventually("GET /healthz answers 200", func() bool { return a.code("/healthz", "") == 200 })
	return a
}

// get requests path (with token when non-empty) and returns the status
// and body; a failed request gives status 0.
func (a *app) get(path, token string) (int, string) {
	req, err := http.NewRequest(http.MethodGet, a.base+path, nil)
	if err != nil {
		a.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (a *app) code(path, token string) int {
	c, _ := a.get(path, token)
	return c
}

// eventually polls cond until it holds or wait passes.
func (a *app) eventually(what string, cond func() bool) {
	a.t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		select {
		case <-a.done:
			a.t.Fatalf("waiting for %s: the example exited: %v", what, a.err)
		default:
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("waiting for %s: not within %v", what, wait)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// expect asserts one request's status (and a body substring when given).
func (a *app) expect(path, token string, wantCode int, wantBody string) {
	a.t.Helper()
	code, body := a.get(path, token)
	if code != wantCode || !strings.Contains(body, wantBody) {
		a.t.Errorf("GET %s (token %v) = %d %q; want %d containing %q", path, token != "", code, body, wantCode, wantBody)
	}
}

// basics checks the API and probe routing of a healthy app.
func (a *app) basics() {
	a.t.Helper()
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

// drain sends SIGTERM and checks: readiness 503 at once, liveness 200
// during the drain delay, exit status 0.
func (a *app) drain() {
	a.t.Helper()
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		a.t.Fatal(err)
	}
	a.eventually("GET /readyz answers 503 after SIGTERM", func() bool { return a.code("/readyz", "") == 503 })
	a.expect("/readyz", "", 503, `"status":"draining"`)
	a.expect("/healthz", "", 200, `{"status":"ok"}`)
	select {
	case <-a.done:
	case <-time.After(wait):
		a.t.Fatalf("the example did not exit within %v of SIGTERM", wait)
	}
	if a.err != nil {
		a.t.Errorf("exit after SIGTERM: %v; want status 0", a.err)
	}
}

// embedded runs the example as a new user would: no configuration, an
// embedded Redis and an embedded SQLite database.
func embedded(t *testing.T, bin string) {
	a := start(t, bin)
	a.basics()
	if !strings.Contains(a.out.String(), "embedded") {
		t.Errorf("the example did not log that it started embedded servers:\n%s", a.out)
	}
	a.drain()
}

// fast makes outages show within a second: 100ms interval, 300ms timeout,
// two failures to flip.
var fast = []string{"HEALTH_INTERVAL=100ms", "HEALTH_TIMEOUT=300ms", "HEALTH_FAILURE_THRESHOLD=2"}

// redisOutage runs against a test-owned Redis and the real PostgreSQL,
// kills Redis, brings it back, hangs it, and resumes it.
func redisOutage(t *testing.T, bin string) {
	redis := testenv.StartRedis(t)
	dsn := testenv.PostgresDSN(t)
	a := start(t, bin, append([]string{"REDIS_ADDR=" + redis.Addr(), "DATABASE_URL=" + dsn}, fast...)...)
	a.basics()

	for _, outage := range []struct {
		name       string
		stop, back func()
	}{
		{"redis killed", redis.Stop, redis.Restart},
		{"redis hung (SIGSTOP)", redis.Pause, redis.Resume},
	} {
		outage.stop()
		a.eventually("GET /readyz answers 503 with "+outage.name, func() bool {
			code, body := a.get("/readyz/redis", "")
			return code == 503 && strings.Contains(body, `"status":"unhealthy"`)
		})
		a.expect("/readyz", "", 503, `"status":"unhealthy"`)
		a.expect("/readyz?verbose", "", 503, "[-]redis failed: reason withheld\n[+]db ok\n")
		a.expect("/healthz", "", 200, `{"status":"ok"}`)
		a.expect("/api/whoami", Token, 200, `{"user":"demo"}`)
		outage.back()
		a.eventually("GET /readyz answers 200 after "+outage.name, func() bool { return a.code("/readyz", "") == 200 })
	}
	a.drain()
}

// databaseOutage puts a proxy between the app and the real PostgreSQL and
// makes it refuse: probes keep answering without a token, readiness is 503,
// and the API's DB-connect middleware fails requests with 500.
func databaseOutage(t *testing.T, bin string) {
	dsn := testenv.PostgresDSN(t)
	proxy := testenv.NewProxy(t, testenv.Env("TEST_POSTGRES_ADDR", testenv.DefaultPostgresAddr))
	proxied := strings.Replace(dsn, testenv.Env("TEST_POSTGRES_ADDR", testenv.DefaultPostgresAddr), proxy.Addr(), 1)
	a := start(t, bin, append([]string{"DATABASE_URL=" + proxied}, fast...)...)
	a.basics()

	proxy.Refuse()
	a.eventually("GET /readyz answers 503 with the database down", func() bool { return a.code("/readyz/db", "") == 503 })
	a.expect("/readyz?verbose", "", 503, "[+]redis ok\n[-]db failed: reason withheld\n")
	a.expect("/healthz", "", 200, `{"status":"ok"}`)
	a.expect("/api/whoami", Token, 500, "database unavailable")
	a.expect("/api/whoami", "", 401, "unauthorized")
	proxy.Pass()
	a.eventually("GET /readyz answers 200 with the database back", func() bool { return a.code("/readyz", "") == 200 })
	a.expect("/api/whoami", Token, 200, `{"user":"demo"}`)
	a.drain()
}

// syncBuffer is a bytes.Buffer safe for the process's writes and the
// test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
