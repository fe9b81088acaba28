package testenv

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

// Outcomes of a connection through the proxy, as a client sees them.
type outcome string

const (
	echoes  outcome = "echoes"  // what is written comes back
	hangs   outcome = "hangs"   // nothing comes back before a read deadline
	resets  outcome = "resets"  // reads fail with ECONNRESET
	refused outcome = "refused" // dials fail with ECONNREFUSED
)

// hangFor is how long a read must stay silent to count as hanging. It only
// bounds an absence; no test asserts how fast something happens.
const hangFor = 200 * time.Millisecond

// ioTimeout bounds every read that is expected to succeed or fail, so a
// broken proxy fails the test instead of hanging it.
const ioTimeout = 10 * time.Second

// startEcho starts a TCP echo server on a free loopback port, stopped in
// t.Cleanup, and returns its address.
func startEcho(t *testing.T) string {
	t.Helper()
	return ListenTCP(t, func(c net.Conn) { _, _ = io.Copy(c, c) })
}

// dial connects to addr, closing the connection in t.Cleanup.
func dial(t *testing.T, addr string) (net.Conn, error) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, nil
}

// mustDial is dial that fails the test on error.
func mustDial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := dial(t, addr)
	if err != nil {
		t.Fatalf("net.Dial(%s) = %v; want nil", addr, err)
	}
	return c
}

// roundTrip writes msg to c and reads len(msg) bytes back within d.
func roundTrip(c net.Conn, msg string, d time.Duration) (string, error) {
	if _, err := c.Write([]byte(msg)); err != nil {
		return "", err
	}
	return readN(c, len(msg), d)
}

// readN reads n bytes from c within d.
func readN(c net.Conn, n int, d time.Duration) (string, error) {
	if err := c.SetReadDeadline(time.Now().Add(d)); err != nil {
		return "", err
	}
	buf := make([]byte, n)
	_, err := io.ReadFull(c, buf)
	return string(buf), err
}

// expect checks that c (an existing connection, or nil to dial a new one)
// shows outcome want, and returns the connection, if any, for a test to go
// on with.
func expect(t *testing.T, p *Proxy, c net.Conn, want outcome, msg string) net.Conn {
	t.Helper()
	if c == nil {
		var err error
		c, err = dial(t, p.Addr())
		if want == resets && errors.Is(err, syscall.ECONNRESET) {
			// Reset so early that connect(2) itself reported it.
			return nil
		}
		if want == refused {
			if !errors.Is(err, syscall.ECONNREFUSED) {
				t.Errorf("net.Dial(proxy) = %v; want ECONNREFUSED", err)
			}
			return nil
		}
		if err != nil {
			t.Fatalf("net.Dial(proxy) = %v; want nil", err)
		}
	}
	switch want {
	case echoes:
		if got, err := roundTrip(c, msg, ioTimeout); err != nil || got != msg {
			t.Errorf("roundTrip(%q) = %q, %v; want %q, nil", msg, got, err, msg)
		}
	case hangs:
		got, err := roundTrip(c, msg, hangFor)
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("roundTrip(%q) = %q, %v; want a read deadline error", msg, got, err)
		}
	case resets:
		// Only read: the RST is already on its way, and a write to a reset
		// connection may fail with EPIPE instead.
		got, err := readN(c, 1, ioTimeout)
		if !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("read() = %q, %v; want ECONNRESET", got, err)
		}
		return nil
	default:
		t.Fatalf("expect: unknown outcome %q", want)
	}
	return c
}

func TestProxyModes(t *testing.T) {
	t.Parallel()
	echo := startEcho(t)
	tests := []struct {
		name         string
		give         func(p *Proxy)
		wantExisting outcome
		wantNew      outcome
	}{
		{name: "pass", give: (*Proxy).Pass, wantExisting: echoes, wantNew: echoes},
		{name: "refuse", give: (*Proxy).Refuse, wantExisting: resets, wantNew: refused},
		{name: "blackhole", give: (*Proxy).Blackhole, wantExisting: hangs, wantNew: hangs},
		{name: "reset", give: (*Proxy).Reset, wantExisting: resets, wantNew: echoes},
		{name: "latency", give: func(p *Proxy) { p.Latency(20 * time.Millisecond) }, wantExisting: echoes, wantNew: echoes},
		{name: "refuse twice", give: func(p *Proxy) { p.Refuse(); p.Refuse() }, wantExisting: resets, wantNew: refused},
		{name: "blackhole after refuse", give: func(p *Proxy) { p.Refuse(); p.Blackhole() }, wantExisting: resets, wantNew: hangs},
		{name: "pass after blackhole", give: func(p *Proxy) { p.Blackhole(); p.Pass() }, wantExisting: echoes, wantNew: echoes},
		{name: "reset while blackholed", give: func(p *Proxy) { p.Blackhole(); p.Reset() }, wantExisting: resets, wantNew: hangs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := NewProxy(t, echo)
			existing := expect(t, p, mustDial(t, p.Addr()), echoes, "before")

			tt.give(p)
			existing = expect(t, p, existing, tt.wantExisting, "existing")
			fresh := expect(t, p, nil, tt.wantNew, "new")

			// Back to Pass: new connections work, and whatever survived
			// gets what it sent while held, then works on.
			p.Pass()
			expect(t, p, nil, echoes, "after pass")
			for _, held := range []struct {
				c    net.Conn
				want outcome
				msg  string
			}{
				{c: existing, want: tt.wantExisting, msg: "existing"},
				{c: fresh, want: tt.wantNew, msg: "new"},
			} {
				if held.c == nil {
					continue
				}
				if held.want == hangs {
					// The connection wrote its message and timed out
					// reading; the proxy held the message and delivers
					// it now.
					if got, err := readN(held.c, len(held.msg), ioTimeout); err != nil || got != held.msg {
						t.Errorf("read() after Pass = %q, %v; want %q, nil", got, err, held.msg)
					}
				}
				expect(t, p, held.c, echoes, "again")
			}
		})
	}
}

func TestProxyRefuseThenPassKeepsAddr(t *testing.T) {
	t.Parallel()
	p := NewProxy(t, startEcho(t))
	addr := p.Addr()
	for i := range 3 {
		p.Refuse()
		expect(t, p, nil, refused, "")
		p.Pass()
		if p.Addr() != addr {
			t.Fatalf("Addr() after Refuse and Pass #%d = %s; want %s", i, p.Addr(), addr)
		}
		expect(t, p, nil, echoes, "back")
	}
}

func TestProxyLatency(t *testing.T) {
	t.Parallel()
	const d = 50 * time.Millisecond
	p := NewProxy(t, startEcho(t))
	c := expect(t, p, nil, echoes, "warm")
	p.Latency(d)
	start := time.Now()
	expect(t, p, c, echoes, "slow")
	// A lower bound only: the message crossed the proxy twice, each way
	// delayed by d. How much longer it took depends on the machine.
	if got := time.Since(start); got < d {
		t.Errorf("round trip with Latency(%v) took %v; want at least %v", d, got, d)
	}
	p.Latency(-time.Second) // same as Pass
	expect(t, p, c, echoes, "fast")
}

func TestProxyKeepsOrderAcrossModes(t *testing.T) {
	t.Parallel()
	p := NewProxy(t, startEcho(t))
	c := mustDial(t, p.Addr())

	// Write a stream while the mode flips underneath it; every byte must
	// come back once, in order.
	var want bytes.Buffer
	for i := range 2000 {
		want.WriteByte(byte('a' + i%26))
	}
	writeDone := make(chan error, 1)
	go func() {
		b := want.Bytes()
		for len(b) > 0 {
			n := min(len(b), 37)
			if _, err := c.Write(b[:n]); err != nil {
				writeDone <- err
				return
			}
			b = b[n:]
		}
		writeDone <- nil
	}()
	for i := range 20 {
		switch i % 3 {
		case 0:
			p.Blackhole()
		case 1:
			p.Latency(time.Millisecond)
		case 2:
			p.Pass()
		}
	}
	p.Pass()
	got, err := readN(c, want.Len(), ioTimeout)
	if err != nil || got != want.String() {
		t.Errorf("read() = %d bytes, %v; want the %d bytes written, in order", len(got), err, want.Len())
	}
	if err := <-writeDone; err != nil {
		t.Errorf("write() = %v; want nil", err)
	}
}

func TestProxyHalfClose(t *testing.T) {
	t.Parallel()
	p := NewProxy(t, startEcho(t))
	c := mustDial(t, p.Addr())
	if _, err := c.Write([]byte("bye")); err != nil {
		t.Fatalf("write() = %v; want nil", err)
	}
	if err := c.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatalf("CloseWrite() = %v; want nil", err)
	}
	if err := c.SetReadDeadline(time.Now().Add(ioTimeout)); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "bye" {
		t.Errorf("ReadAll() after CloseWrite = %q, %v; want %q, nil", got, err, "bye")
	}
}

func TestProxyTargetDown(t *testing.T) {
	t.Parallel()
	// A port nothing listens on: take a free one, close it, and keep it
	// from being given to another test's listener meanwhile.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	target := ln.Addr().String()
	_ = ln.Close()
	if release, err := reservePort(target); err == nil {
		t.Cleanup(release)
	}

	p := NewProxy(t, target)
	expect(t, p, nil, resets, "")
}

func TestProxyClose(t *testing.T) {
	t.Parallel()
	p := NewProxy(t, startEcho(t))
	c := expect(t, p, nil, echoes, "open")
	p.Blackhole()
	held := mustDial(t, p.Addr())
	if _, err := held.Write([]byte("held")); err != nil {
		t.Fatal(err)
	}

	p.Close()
	p.Close() // idempotent
	for _, c := range []net.Conn{c, held} {
		if got, err := readN(c, 1, ioTimeout); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("read() after Close = %q, %v; want the connection closed", got, err)
		}
	}
	// Whether a dial is refused now depends on whether another test took
	// the port the proxy gave up, so look inside instead.
	p.Pass() // no effect once closed
	p.mu.Lock()
	ln, nLinks := p.ln, len(p.links)
	p.mu.Unlock()
	if ln != nil || nLinks != 0 {
		t.Errorf("after Close and Pass: listener %v, %d connections; want none", ln, nLinks)
	}
}
