package contract

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/probekit/probekit/internal/testenv"
)

// app is a running example.
type app struct {
	t        *testing.T
	ex       example
	cmd      *exec.Cmd
	env      []string
	base     string // the HTTP API, http://ADDR (HTTP examples)
	grpcAddr string // GRPC_ADDR (examples/grpc)
	client   *http.Client
	conn     *grpc.ClientConn // to grpcAddr (examples/grpc)
	out      *syncBuffer
	done     chan struct{}
	err      error
}

// start runs the example with the contract's environment plus env and
// waits until it is live: /healthz answers 200 on its API port (HTTP
// examples) or its "liveness" health service is SERVING (gRPC).
func start(t *testing.T, ex example, env ...string) *app {
	t.Helper()
	a := launch(t, ex, env...)
	if ex.grpc {
		a.eventually(`gRPC Check("liveness") is SERVING`, func() bool { return a.grpcStatus("liveness") == serving })
	} else {
		a.eventually("GET /healthz answers 200", func() bool { return a.code("/healthz", "") == 200 })
	}
	return a
}

// launch runs the example and returns at once.
func launch(t *testing.T, ex example, env ...string) *app {
	t.Helper()
	base := []string{
		"API_TOKEN=" + Token,
		"REDIS_ADDR=", "DATABASE_URL=", "HEALTH_ADDR=", "HEALTH_STATUS_FILE=",
		"HEALTH_DRAIN_DELAY=1s", // long enough for the drain assertions, short for CI
	}
	if ex.grpc {
		base = append(base, "GRPC_ADDR="+testenv.FreeAddr(t))
	} else {
		base = append(base, "ADDR="+testenv.FreeAddr(t))
	}
	env = append(base, env...)
	a := &app{t: t, ex: ex, env: env, out: &syncBuffer{}, done: make(chan struct{}),
		client: &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}
	a.base = "http://" + lookup(env, "ADDR")
	a.grpcAddr = lookup(env, "GRPC_ADDR")
	if a.grpcAddr != "" {
		conn, err := grpc.NewClient(a.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		a.conn = conn
		t.Cleanup(func() { _ = conn.Close() })
	}
	a.cmd = exec.Command(ex.bin)
	a.cmd.Env = append(os.Environ(), env...)
	a.cmd.Stdout, a.cmd.Stderr = a.out, a.out
	if err := a.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", ex.bin, err)
	}
	go func() {
		a.err = a.cmd.Wait()
		close(a.done)
	}()
	t.Cleanup(func() {
		select {
		case <-a.done:
		default:
			_ = a.cmd.Process.Kill()
			<-a.done
		}
		if t.Failed() {
			t.Logf("example output:\n%s", a.out.String())
		}
	})
	return a
}

// lookup returns the last value of key in env, as exec does.
func lookup(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}

// get requests url (a path on the API port, or a whole URL) with token
// when non-empty, and returns the status and body; a failed request gives
// status 0.
func (a *app) get(url, token string) (int, string) {
	if strings.HasPrefix(url, "/") {
		url = a.base + url
	}
	req, err := http.NewRequest(http.MethodGet, url, nil)
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

func (a *app) code(url, token string) int {
	c, _ := a.get(url, token)
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
func (a *app) expect(url, token string, wantCode int, wantBody string) {
	a.t.Helper()
	code, body := a.get(url, token)
	if code != wantCode || !strings.Contains(body, wantBody) {
		a.t.Errorf("GET %s (token %v) = %d %q; want %d containing %q", url, token != "", code, body, wantCode, wantBody)
	}
}

// sigterm sends SIGTERM.
func (a *app) sigterm() {
	a.t.Helper()
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		a.t.Fatal(err)
	}
}

// exited waits for the example to exit and returns its exit code.
func (a *app) exited() int {
	a.t.Helper()
	select {
	case <-a.done:
	case <-time.After(wait):
		a.t.Fatalf("the example did not exit within %v", wait)
	}
	var exit *exec.ExitError
	if errors.As(a.err, &exit) {
		return exit.ExitCode()
	}
	if a.err != nil {
		a.t.Fatalf("the example: %v", a.err)
	}
	return 0
}

// execProbe runs `app -ready` with the app's environment, as a kubelet
// exec probe would in the container, and returns its exit code and
// output.
func (a *app) execProbe() (int, string) {
	a.t.Helper()
	cmd := exec.Command(a.ex.bin, "-ready")
	cmd.Env = append(os.Environ(), a.env...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	case err != nil:
		a.t.Fatalf("%s -ready: %v", a.ex.bin, err)
	}
	return 0, string(out)
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
