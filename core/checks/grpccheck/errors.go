package grpccheck

import (
	"errors"
	"strings"
)

// Errors that a failed Check wraps, for errors.Is. The text of a Check
// error is its own, such as
//
//	grpccheck: upstream "orders:9000": NOT_SERVING
var (
	// ErrNotServing: the upstream answered with a status other than
	// SERVING for the service (NOT_SERVING, or UNKNOWN).
	ErrNotServing = errors.New("grpccheck: upstream not serving")
	// ErrServiceUnknown: the upstream's health server does not know the
	// service (codes.NotFound, or SERVICE_UNKNOWN).
	ErrServiceUnknown = errors.New("grpccheck: service unknown to upstream")
	// ErrUnavailable: the upstream could not be reached (codes.Unavailable):
	// the connection is refused, reset, or failing.
	ErrUnavailable = errors.New("grpccheck: upstream unavailable")
	// ErrNoHealthService: the upstream does not serve grpc.health.v1.Health
	// (codes.Unimplemented).
	ErrNoHealthService = errors.New("grpccheck: upstream has no health service")
)

// checkError is a failed Check: which upstream, why in words, and the
// errors it wraps (a sentinel or a context error, and the RPC's status
// error, so that status.Code works on it).
type checkError struct {
	upstream string // `upstream "target"` or `upstream "target" service "name"`
	reason   string
	kind     error
	cause    error
}

func (e *checkError) Error() string {
	var b strings.Builder
	b.Grow(len("grpccheck: ") + len(e.upstream) + 2 + len(e.reason))
	b.WriteString("grpccheck: ")
	b.WriteString(e.upstream)
	b.WriteString(": ")
	b.WriteString(e.reason)
	return b.String()
}

func (e *checkError) Unwrap() []error {
	errs := make([]error, 0, 2)
	for _, err := range []error{e.kind, e.cause} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}
