package faultmatrix

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/probekit/probekit/core"
)

// resetEvery is how often the reset fault resets the proxy's connections.
// Requests are held by a blackhole meanwhile, so every one of them is reset
// after it was sent and before it was answered.
const resetEvery = 5 * time.Millisecond

// fault is one way a dependency fails. inject starts it on a healthy row at
// t0, given the row's check timeout, and returns the function that ends
// it.
type fault struct {
	name string
	// fails says whether readiness must turn 503. Faults that must not
	// (slow at half the timeout, flapping) are watched for runs results
	// instead, during which readiness must stay 200.
	fails bool
	runs  int
	// timeout is the row's check timeout; zero means checkTimeout.
	timeout time.Duration
	inject  func(d *dep, chk *hooked, timeout time.Duration) (restore func())
}

// checkTimeout returns the row's check timeout.
func (f fault) checkTimeout() time.Duration {
	if f.timeout > 0 {
		return f.timeout
	}
	return checkTimeout
}

// slowTimeout is the check timeout of the row slow at half of it: a 200ms
// round trip, 200ms of headroom. At checkTimeout, half leaves 50ms, which a
// loaded machine eats now and then. One run over the timeout is not enough
// to fail the row, but the SQL drivers close a connection whose query is
// cancelled, and reconnecting through the slow proxy takes three to five
// round trips, more than the timeout: from then on every run fails until
// the slowness ends. Real timeouts are seconds, with that much headroom.
const slowTimeout = 400 * time.Millisecond

// faults are the faults of the matrix, in table order.
var faults = []fault{
	{name: "refused", fails: true, inject: refuse},
	{name: "reset mid-request", fails: true, inject: resetMidRequest},
	{name: "blackhole", fails: true, inject: blackhole},
	{name: "slow 2x timeout", fails: true, inject: slow(2)},
	{name: "slow 0.5x timeout", runs: 6, timeout: slowTimeout, inject: slow(0.5)},
	{name: "flapping", runs: 3 * flapPeriod, inject: flap},
	{name: "DNS name unresolvable", fails: true, inject: unresolvable},
}

// refuse makes the server look down: connections refused, existing ones
// reset.
func refuse(d *dep, _ *hooked, _ time.Duration) func() {
	d.proxy.Refuse()
	return d.proxy.Pass
}

// resetMidRequest accepts connections and reads requests but never answers
// them: it holds them (a blackhole) and resets every connection every
// resetEvery, so each request ends with a TCP RST after it was sent.
func resetMidRequest(d *dep, _ *hooked, _ time.Duration) func() {
	d.proxy.Blackhole()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(resetEvery)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				d.proxy.Reset()
			case <-stop:
				return
			}
		}
	}()
	return func() {
		close(stop)
		wg.Wait()
		d.proxy.Pass()
	}
}

// blackhole accepts connections and forwards nothing: every request hangs.
func blackhole(d *dep, _ *hooked, _ time.Duration) func() {
	d.proxy.Blackhole()
	return d.proxy.Pass
}

// slow makes every round trip to the dependency take f times the check
// timeout. The proxy delays each direction, so a request and its answer
// are delayed by half of that each.
func slow(f float64) func(d *dep, _ *hooked, timeout time.Duration) func() {
	return func(d *dep, _ *hooked, timeout time.Duration) func() {
		d.proxy.Latency(time.Duration(f * float64(timeout) / 2))
		return d.proxy.Pass
	}
}

// flapPeriod is the flapping fault's cycle in runs: the dependency is down
// for the first run of each cycle and up for the others. A run after an
// outage may still fail on a connection the outage broke, so the longest
// run of failures is 2, under the failure threshold of 3.
const flapPeriod = 3

// flap makes the dependency go down and up again by the check's own runs:
// before each run the proxy refuses (one run in flapPeriod) or passes. It
// is driven by the run count, not by a clock, so the pattern is the same
// however slow the machine is.
func flap(d *dep, chk *hooked, _ time.Duration) func() {
	var n atomic.Int64
	chk.setBefore(func() {
		if n.Add(1)%flapPeriod == 1 {
			d.proxy.Refuse()
		} else {
			d.proxy.Pass()
		}
	})
	return func() {
		chk.setBefore(nil)
		d.proxy.Pass()
	}
}

// unresolvableHost is the name the DNS fault dials. .invalid never
// resolves (RFC 6761), so the system resolver answers NXDOMAIN, or times
// out on a machine without DNS.
const unresolvableHost = "dependency.faultmatrix.invalid"

// unresolvable makes the dependency's name stop resolving: the client's
// dialer dials unresolvableHost from now on. Connections already open do
// not need the name, so they are reset once, as a server restart or an
// idle timeout would close them sooner or later; without that the client
// would go on through its pool and notice nothing.
func unresolvable(d *dep, _ *hooked, _ time.Duration) func() {
	addr := d.proxy.Addr()
	_, port, _ := net.SplitHostPort(addr)
	d.dial.set(net.JoinHostPort(unresolvableHost, port))
	d.proxy.Reset()
	return func() { d.dial.set(addr) }
}

// hooked is the checker a row registers: the dependency's checker, with a
// hook that a fault can run before each run (the flapping fault switches
// the proxy there).
type hooked struct {
	core.Checker
	before atomic.Pointer[func()]
}

// setBefore sets the hook; nil removes it.
func (h *hooked) setBefore(f func()) {
	if f == nil {
		h.before.Store(nil)
		return
	}
	h.before.Store(&f)
}

// Check runs the hook, if any, then the dependency's check.
func (h *hooked) Check(ctx context.Context) error {
	if f := h.before.Load(); f != nil {
		(*f)()
	}
	return h.Checker.Check(ctx)
}
