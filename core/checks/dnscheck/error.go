package dnscheck

import "errors"

// Sentinel errors, for errors.Is. The errors Check returns wrap them and
// add detail to their text, which starts with theirs.
var (
	// ErrNotFound is wrapped by the error of a Check whose name does not
	// exist (NXDOMAIN) or has no address of the network asked for, such as
	// "dnscheck: not found: lookup db.internal on 10.0.0.10:53: no such
	// host". The resolver answered: the name is wrong, or gone.
	ErrNotFound = errors.New("dnscheck: not found")
	// ErrTimeout is wrapped by the error of a Check whose resolver did not
	// answer in time, such as "dnscheck: timeout: lookup db.internal on
	// 10.0.0.10:53: i/o timeout": the name servers are down or out of
	// reach. When the check's deadline was the limit, the error wraps
	// [context.DeadlineExceeded] too.
	ErrTimeout = errors.New("dnscheck: timeout")
	// ErrTooFewAddrs is wrapped by the error of a Check whose name
	// resolved to fewer addresses than [MinAddrs] asks for.
	ErrTooFewAddrs = errors.New("dnscheck: too few addresses")
	// ErrMissingAddr is wrapped by the error of a Check whose name did
	// not resolve to every address [ExpectAddr] asks for.
	ErrMissingAddr = errors.New("dnscheck: expected address missing")
	// ErrInvalidConfig is wrapped by the error of every Check of a Checker
	// made with an empty name, an unknown network or an invalid expected
	// address; see [Checker.Validate]. Such a Checker resolves nothing.
	ErrInvalidConfig = errors.New("dnscheck: invalid configuration")
)

// checkError is a failed Check: a kind (one of the sentinels, or nil),
// the detail, and the errors it wraps.
type checkError struct {
	kind   error
	detail string
	errs   []error
}

func (e *checkError) Error() string {
	if e.kind == nil {
		return "dnscheck: " + e.detail
	}
	return e.kind.Error() + ": " + e.detail
}

func (e *checkError) Unwrap() []error {
	if e.kind == nil {
		return e.errs
	}
	return append([]error{e.kind}, e.errs...)
}
