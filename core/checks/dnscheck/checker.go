package dnscheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/internal/ctxerr"
)

var (
	_ core.Checker  = (*Checker)(nil)
	_ core.Observer = (*Checker)(nil)
)

// maxListed is how many addresses an error lists at most.
const maxListed = 8

// Checker checks that a host name resolves: to at least one address by
// default, to at least [MinAddrs], or to given addresses ([ExpectAddr]).
// It tells a name that does not exist ([ErrNotFound]) from name servers
// that do not answer ([ErrTimeout]).
//
// It reports the resolution time and the number of addresses as
// observations; see [Checker.Observations]. A Checker is safe for
// concurrent use.
type Checker struct {
	host     string
	network  string
	resolver *net.Resolver
	min      int
	want     []netip.Addr // unmapped
	err      error

	obs atomic.Pointer[[]core.Observation]
}

// New returns a Checker that resolves host, a name such as
// "db.internal" (an IP address resolves to itself); see [Option] for the
// options and their defaults. New never fails: an empty host, unknown
// network or invalid expected address makes every Check fail with an
// error wrapping [ErrInvalidConfig], which [Checker.Validate] returns at
// once.
func New(host string, opts ...Option) *Checker {
	var cfg config
	for _, o := range opts {
		if o != nil { // a nil option is ignored, as in core
			o.apply(&cfg)
		}
	}
	c := &Checker{host: host, network: cfg.network, resolver: cfg.resolver, min: max(cfg.min, 1)}
	if c.network == "" {
		c.network = DefaultNetwork
	}
	if c.resolver == nil {
		c.resolver = net.DefaultResolver
	}
	for _, a := range cfg.want {
		c.want = append(c.want, a.Unmap())
	}
	c.err = c.validate()
	return c
}

// validate returns the configuration error, if any.
func (c *Checker) validate() error {
	invalid := func(format string, args ...any) error {
		return &checkError{kind: ErrInvalidConfig, detail: fmt.Sprintf(format, args...)}
	}
	if c.host == "" {
		return invalid("empty host name")
	}
	switch c.network {
	case "ip", "ip4", "ip6":
	default:
		return invalid("network %q, want ip, ip4 or ip6", c.network)
	}
	for _, a := range c.want {
		if !a.IsValid() {
			return invalid("expected address is the zero netip.Addr")
		}
		if (c.network == "ip4" && !a.Is4()) || (c.network == "ip6" && !a.Is6()) {
			return invalid("expected address %v is not in network %s", a, c.network)
		}
	}
	return nil
}

// Validate returns the error every Check of c returns because of its
// configuration, wrapping [ErrInvalidConfig], or nil if it is valid. [core.New]
// calls it (c is a [core.Validator]), so a bad name from configuration
// fails at startup.
func (c *Checker) Validate() error { return c.err }

// Check resolves the name and returns nil if it resolved to enough
// addresses, including every expected one.
//
// Check resolves in the calling goroutine and returns when the resolver
// does. Go's resolver gives up at ctx's deadline, and the error then wraps
// [ErrTimeout] and ctx's error. A [core.Health] does not wait for a
// resolver that does not (a Dial function that ignores ctx): it abandons
// the run at its timeout ([core.Timeout]) and reports the check failing
// until the run returns.
//
// Errors start with the kind of failure, wrap the resolver's
// [*net.DNSError] where there is one, and read like
//
//	dnscheck: not found: lookup db.internal on 10.0.0.10:53: no such host
//	dnscheck: timeout: lookup db.internal on 10.0.0.10:53: i/o timeout
//	dnscheck: too few addresses: db.internal has 1 (10.0.0.7), want at least 2
//	dnscheck: expected address missing: db.internal has 10.0.0.7, not 10.0.0.9
//	dnscheck: lookup db.internal on 10.0.0.10:53: server misbehaving
func (c *Checker) Check(ctx context.Context) error {
	if c.err != nil {
		c.obs.Store(nil)
		return c.err
	}
	start := time.Now()
	addrs, err := c.lookup(ctx)
	elapsed := time.Since(start)
	if err != nil {
		c.obs.Store(nil)
		return c.lookupError(ctx, err)
	}
	for i, a := range addrs {
		addrs[i] = a.Unmap() // Go returns IPv4 addresses mapped for "ip"
	}
	c.record(elapsed, len(addrs))
	if len(addrs) < c.min {
		return &checkError{kind: ErrTooFewAddrs, detail: fmt.Sprintf("%s has %d (%s), want at least %d",
			c.host, len(addrs), list(addrs), c.min)}
	}
	var missing []netip.Addr
	for _, a := range c.want {
		if !slices.Contains(addrs, a) {
			missing = append(missing, a)
		}
	}
	if len(missing) > 0 {
		return &checkError{kind: ErrMissingAddr, detail: fmt.Sprintf("%s has %s, not %s", c.host, list(addrs), list(missing))}
	}
	return nil
}

// lookup resolves the name. It asks nothing once ctx is done, and returns
// a panic in the resolver (its Dial function is the application's) as an
// error.
func (c *Checker) lookup(ctx context.Context) (addrs []netip.Addr, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return c.resolver.LookupNetIP(ctx, c.network, c.host)
}

// lookupError classifies a failed lookup: not found, timeout, or other.
func (c *Checker) lookupError(ctx context.Context, err error) error {
	detail := err.Error()
	var de *net.DNSError
	if !errors.As(err, &de) {
		// ctx was done before the lookup, or a panic: no DNSError to
		// name the host.
		detail = "lookup " + c.host + ": " + detail
	}
	errs := []error{err}
	ctxErr := ctxerr.Err(ctx)
	if ctxErr != nil && !errors.Is(err, ctxErr) {
		errs = append(errs, ctxErr)
	}
	switch {
	case de != nil && de.IsNotFound:
		return &checkError{kind: ErrNotFound, detail: detail, errs: errs}
	case (de != nil && de.IsTimeout) || errors.Is(ctxErr, context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		return &checkError{kind: ErrTimeout, detail: detail, errs: errs}
	default:
		return &checkError{detail: detail, errs: errs}
	}
}

// list writes addrs for an error, the first few of them.
func list(addrs []netip.Addr) string {
	if len(addrs) == 0 {
		return "none"
	}
	s := make([]string, 0, min(len(addrs), maxListed))
	for _, a := range addrs[:min(len(addrs), maxListed)] {
		s = append(s, a.String())
	}
	if len(addrs) > maxListed {
		s = append(s, fmt.Sprintf("and %d more", len(addrs)-maxListed))
	}
	return strings.Join(s, ", ")
}
