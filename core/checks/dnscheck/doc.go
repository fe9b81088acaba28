// Package dnscheck provides a [core.Checker] that a host name resolves,
// for an application whose dependencies are reached by names that
// service discovery or an operator keeps up to date.
//
// # Usage
//
//	h, err := core.New(
//		core.WithCheck("dns", dnscheck.New("db.internal", dnscheck.MinAddrs(2))),
//	)
//	if err != nil {
//		return err
//	}
//	defer h.Close()
//
// The checker resolves with [net.DefaultResolver], the resolver net.Dial
// and the HTTP client use, so it sees what the application sees; pass the
// application's own with [Resolver]. [MinAddrs] asks for a number of
// addresses, [ExpectAddr] for given ones, [Network] for IPv4 or IPv6 only.
//
// A name that fails to resolve usually makes every connection to it fail
// as well, which the dependency's own check reports too; a DNS check
// mostly helps to tell why. Consider registering it as non-critical
// ([core.Critical](false)), so that it degrades the probes rather than
// taking the pod out of service twice over.
//
// # Errors
//
// Errors say what kind of failure it was, and wrap a sentinel for it:
// [ErrNotFound] when the name servers answered that the name does not
// exist (a wrong or deleted name; retrying will not help), [ErrTimeout]
// when they did not answer in time (the name servers or the network to
// them are down), [ErrTooFewAddrs] and [ErrMissingAddr] for answers that
// do not meet the options. Errors from the resolver wrap its
// [*net.DNSError]:
//
//	dnscheck: not found: lookup db.internal on 10.0.0.10:53: no such host
//	dnscheck: timeout: lookup db.internal on 10.0.0.10:53: i/o timeout
//
// # Deadlines
//
// Check resolves in the calling goroutine and returns when the resolver
// does. Go's resolver gives up at the context's deadline: name servers
// that do not answer fail the check with an error wrapping [ErrTimeout]
// and [context.DeadlineExceeded]. It waits up to the timeout in
// /etc/resolv.conf (5s by default) for each try, so give the check a
// timeout ([core.Timeout]) below that and below the probe's. A resolver
// whose Dial function ignores the context is not waited for by the
// [core.Health]: it abandons the run at the check's timeout and reports
// the check failing until the run returns.
//
// # Observations
//
// A Checker is also a [core.Observer]: after each Check the scheduler
// reads the resolution time and the number of addresses; see
// [Checker.Observations].
package dnscheck
