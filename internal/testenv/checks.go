package testenv

import (
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
)

// CheckTimeout bounds a Check expected to succeed or fail by itself: it is
// long, so that only a Check that hangs ever reaches it.
const CheckTimeout = 10 * time.Second

// HangDeadline is the deadline of a Check against a dependency that hangs
// (a blackholed proxy, a paused server): short, so that the test is quick,
// since the Check is expected to give up at it.
const HangDeadline = 300 * time.Millisecond

// CheckWithin runs c.Check with a context that ends after d, or with no
// deadline if d is not positive.
func CheckWithin(c core.Checker, d time.Duration) error {
	ctx := context.Background()
	if d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	return c.Check(ctx)
}

// Observed returns c's observations by name.
func Observed(c core.Observer) map[string]core.Observation {
	m := make(map[string]core.Observation)
	for _, o := range c.Observations() {
		m[o.Name] = o
	}
	return m
}

// ObservationNames returns the names of c's observations, in order.
func ObservationNames(c core.Observer) []string {
	var names []string
	for _, o := range c.Observations() {
		names = append(names, o.Name)
	}
	return names
}

// WantPanic fails the test unless f panics; what names the call in the
// failure message.
func WantPanic(t testing.TB, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}

// ListenTCP starts a TCP listener on a free loopback port, hands each
// connection it accepts to serve in a goroutine of its own, and returns
// its address. serve returns when the peer closes the connection; it
// need not close it. When the test ends the listener and every open
// connection are closed and the goroutines waited for.
func ListenTCP(t testing.TB, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("net.Listen() = %v; want nil", err)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns = make(map[net.Conn]struct{})
	)
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[c] = struct{}{}
			mu.Unlock()
			wg.Go(func() {
				serve(c)
				mu.Lock()
				delete(conns, c)
				mu.Unlock()
				_ = c.Close()
			})
		}
	})
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

// ListenSink is ListenTCP with connections that are read and discarded
// and held open until the peer closes them.
func ListenSink(t testing.TB) string {
	t.Helper()
	return ListenTCP(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
}
