package tcpcheck_test

import (
	"context"
	"crypto/x509"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
)

// checkTimeout bounds a Check expected to succeed or fail by itself.
const checkTimeout = 10 * time.Second

// hangDeadline is the deadline of a Check against something that hangs.
const hangDeadline = 300 * time.Millisecond

// check runs c.Check with a deadline of d.
func check(c core.Checker, d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return c.Check(ctx)
}

// names returns the names of c's observations.
func names(c core.Observer) []string {
	var out []string
	for _, o := range c.Observations() {
		out = append(out, o.Name)
	}
	return out
}

// observed returns c's observations by name.
func observed(c core.Observer) map[string]core.Observation {
	m := make(map[string]core.Observation)
	for _, o := range c.Observations() {
		m[o.Name] = o
	}
	return m
}

// listen starts a TCP listener on loopback that accepts connections and
// holds them open until the peer closes them or the test ends, when the
// listener and the connections are closed and its goroutines waited for.
func listen(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	conns := make(map[net.Conn]struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[c] = struct{}{}
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = io.Copy(io.Discard, c) // until the peer closes
				mu.Lock()
				delete(conns, c)
				mu.Unlock()
				_ = c.Close()
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// newTLSServer starts an httptest TLS server, closed when the test ends,
// whose log is discarded (failed handshakes are logged), and returns it
// with a pool that trusts its certificate.
func newTLSServer(t *testing.T) (*httptest.Server, *x509.CertPool) {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	return srv, roots
}
