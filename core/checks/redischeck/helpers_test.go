package redischeck_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// hangTimeout is a go-redis ReadTimeout far longer than any check deadline
// or timeout in these tests: a client that waits for it, ignoring the
// context, makes a run the Health must abandon.
const hangTimeout = 10 * time.Second

// newClient returns a client for addr that waits hangTimeout for replies
// and ignores context deadlines (the go-redis default), closed when the
// test ends.
func newClient(t *testing.T, addr string) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{
		Addr:                  addr,
		ReadTimeout:           hangTimeout,
		ContextTimeoutEnabled: false,
	})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// newClusterClient is newClient for a cluster of the nodes at addrs.
func newClusterClient(t *testing.T, addrs ...string) *redis.ClusterClient {
	t.Helper()
	c := redis.NewClusterClient(&redis.ClusterOptions{
		Addrs:                 addrs,
		ReadTimeout:           hangTimeout,
		ContextTimeoutEnabled: false,
	})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// errText returns err's text, or "<nil>".
func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// wantErrNaming fails the test unless err is non-nil, names every address
// in want and none in notWant.
func wantErrNaming(t *testing.T, err error, want []string, notWant ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Check() = nil; want an error naming %v", want)
	}
	for _, a := range want {
		if !strings.Contains(err.Error(), a) {
			t.Errorf("Check() = %q; want it to name %s", err, a)
		}
	}
	for _, a := range notWant {
		if strings.Contains(err.Error(), a) {
			t.Errorf("Check() = %q; want it not to name %s, which is up", err, a)
		}
	}
}

// healthTimeout is the check timeout of the hang tests' Health.
const healthTimeout = time.Second

const stillRunning = testenv.StillRunning

// assertHangInHealth is testenv.HangInHealth with this package's timeout.
func assertHangInHealth(t *testing.T, chk core.Checker, hang, restore func(), wantErr string) core.CheckState {
	t.Helper()
	return testenv.HangInHealth(t, chk, healthTimeout, hang, restore, wantErr)
}
