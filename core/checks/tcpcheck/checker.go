package tcpcheck

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/internal/ctxerr"
)

var (
	_ core.Checker  = (*Checker)(nil)
	_ core.Observer = (*Checker)(nil)
)

// ErrInvalidConfig is wrapped by the error of every Check of a Checker
// made with an address that is not host:port; see [Checker.Validate]. Such
// a Checker dials nothing.
var ErrInvalidConfig = errors.New("tcpcheck: invalid configuration")

// Checker checks that a TCP address accepts connections: it connects,
// optionally completes a TLS handshake ([TLS]), and closes the connection
// at once, without sending anything else.
//
// A connection proves that something accepts connections at the address,
// not that the service behind it works: the kernel accepts connections on
// a process's behalf, so a process that hangs, or a load balancer or
// proxy in front of a dead backend, still passes a connect check. A TLS
// handshake needs the process itself to answer; a protocol's own check
// (an HTTP request, a database query) shows more. Servers may log a
// connection that closes without a word (PostgreSQL logs "incomplete
// startup packet").
//
// It reports the connect and handshake times as observations; see
// [Checker.Observations]. A Checker is safe for concurrent use.
type Checker struct {
	addr   string
	dialer ContextDialer
	tls    *tls.Config // nil: no handshake
	err    error

	obs atomic.Pointer[[]core.Observation]
}

// New returns a Checker that connects to addr, a "host:port" as
// [net.Dial] takes it, such as "db.internal:5432" or "[::1]:443"; see
// [Option] for the options and their defaults. New never fails: an addr
// that is not host:port makes every Check fail with an error wrapping
// [ErrInvalidConfig], which [Checker.Validate] returns at once.
func New(addr string, opts ...Option) *Checker {
	var cfg config
	for _, o := range opts {
		if o != nil { // a nil option is ignored, as in core
			o.apply(&cfg)
		}
	}
	c := &Checker{addr: addr, dialer: cfg.dialer}
	if c.dialer == nil {
		c.dialer = &net.Dialer{Timeout: DefaultDialTimeout}
	}
	host, port, err := net.SplitHostPort(addr)
	switch {
	case err != nil:
		c.err = fmt.Errorf("%w: address %q: %v", ErrInvalidConfig, addr, err)
		return c
	case port == "":
		c.err = fmt.Errorf("%w: address %q: no port", ErrInvalidConfig, addr)
		return c
	}
	if cfg.useTLS {
		if cfg.tls == nil {
			c.tls = &tls.Config{}
		} else {
			c.tls = cfg.tls.Clone()
		}
		if c.tls.ServerName == "" {
			c.tls.ServerName = host
		}
	}
	return c
}

// Validate returns the error every Check of c returns because of its
// configuration, wrapping [ErrInvalidConfig], or nil if the address is
// host:port. [core.New] calls it (c is a
// [core.Validator]), so an address from configuration that is not
// host:port fails at startup.
func (c *Checker) Validate() error { return c.err }

// Check connects to the address, completes the TLS handshake if asked to
// ([TLS]), closes the connection and returns nil if all of that worked.
//
// Check dials in the calling goroutine and returns when the dialer and the
// handshake do: [net.Dialer] and the TLS handshake give up at ctx's
// deadline, and the error then wraps ctx's error (errors.Is(err,
// context.DeadlineExceeded) holds). A [core.Health] does not wait for a
// dialer that ignores ctx: it abandons the run at its timeout
// ([core.Timeout]) and reports the check failing until the run returns.
// A panic in the dialer or a TLS callback is returned as an error.
//
// Errors name the address and wrap the dialer's or the handshake's error
// (errors.Is(err, syscall.ECONNREFUSED) works for a port nothing listens
// on):
//
//	tcpcheck: dial 10.0.0.7:5432: connect: connection refused
//	tcpcheck: tls handshake with 10.0.0.7:443: tls: failed to verify certificate: x509: certificate signed by unknown authority
func (c *Checker) Check(ctx context.Context) (err error) {
	if c.err != nil {
		c.obs.Store(nil)
		return c.err
	}
	var t timings
	defer func() {
		if p := recover(); p != nil {
			// The application's dialer, or a callback in its TLS
			// configuration: blame the step it was in.
			op := "dial"
			if t.connect > 0 {
				op = "tls handshake with"
			}
			err = &probeError{op: op, addr: c.addr, err: fmt.Errorf("panic: %v", p)}
		}
		c.record(t)
	}()
	return c.probe(ctx, &t)
}

// timings is what Check measured.
type timings struct {
	connect   time.Duration // 0 if the dial failed
	handshake time.Duration // 0 without TLS or if the handshake failed
	expiry    time.Time     // the leaf certificate's NotAfter; zero without one
}

// probe connects, shakes hands and closes, recording in t what it
// measured as soon as it is known.
func (c *Checker) probe(ctx context.Context, t *timings) error {
	start := time.Now()
	conn, err := c.dialer.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return &probeError{op: "dial", addr: c.addr, err: ctxerr.Wrap(ctx, unwrapOp(err))}
	}
	t.connect = max(time.Since(start), 1)
	if c.tls == nil {
		_ = conn.Close() // the server may have closed it first: no failure
		return nil
	}
	tc := tls.Client(conn, c.tls)
	start = time.Now()
	if err := tc.HandshakeContext(ctx); err != nil {
		_ = conn.Close()
		return &probeError{op: "tls handshake with", addr: c.addr, err: ctxerr.Wrap(ctx, unwrapOp(err))}
	}
	t.handshake = max(time.Since(start), 1)
	if certs := tc.ConnectionState().PeerCertificates; len(certs) > 0 {
		t.expiry = certs[0].NotAfter
	}
	_ = tc.Close()
	return nil
}

// probeError is a failed step of a Check. Its text names the address
// once; it unwraps to the cause.
type probeError struct {
	op   string // "dial" or "tls handshake with"
	addr string
	err  error
}

func (e *probeError) Error() string { return "tcpcheck: " + e.op + " " + e.addr + ": " + e.err.Error() }
func (e *probeError) Unwrap() error { return e.err }

// unwrapOp returns the cause of a *net.OpError, whose own text repeats the
// address the probeError names already ("dial tcp 10.0.0.7:5432: connect:
// connection refused" becomes "connect: connection refused"); other errors
// are returned as they are.
func unwrapOp(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil && oe == err {
		return oe.Err
	}
	return err
}
