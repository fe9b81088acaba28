package httpcheck_test

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// newServer starts an httptest server for h, closed when the test ends,
// whose log is discarded (the tests make it log aborted requests). Each
// setup function may configure the server before it starts.
func newServer(t *testing.T, h http.Handler, setup ...func(*http.Server)) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	for _, f := range setup {
		f(srv.Config)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// newTLSServer is newServer with TLS.
func newTLSServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns a client of its own with keep-alives, like an
// application's, whose idle connections are closed when the test ends.
func newClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// connCounter counts the connections a server accepted.
type connCounter struct {
	mu sync.Mutex
	n  int
}

// hook is an http.Server.ConnState hook.
func (c *connCounter) hook(_ net.Conn, s http.ConnState) {
	if s == http.StateNew {
		c.mu.Lock()
		c.n++
		c.mu.Unlock()
	}
}

func (c *connCounter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// closedURL returns an http URL on a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	return "http://" + testenv.FreeAddr(t) + "/health"
}

// healthTimeout is the check timeout of the hang tests' Health.
const healthTimeout = 100 * time.Millisecond

const stillRunning = testenv.StillRunning

// assertHangInHealth is testenv.HangInHealth with this package's timeout.
func assertHangInHealth(t *testing.T, chk core.Checker, hang, restore func(), wantErr string) core.CheckState {
	t.Helper()
	return testenv.HangInHealth(t, chk, healthTimeout, hang, restore, wantErr)
}
