package core

import (
	"context"
	"errors"
)

// Checker is one dependency or process check. Check reports nil when the
// dependency is usable and an error saying why not otherwise.
//
// Check is called from the scheduler's goroutines, never from a probe
// request, and never concurrently with itself: at most one run of a check is
// in flight. ctx carries the check's deadline (see [Timeout]); a Check that
// ignores it is abandoned at the deadline and reported failing until it
// returns, so a well-behaved Check should return promptly once ctx is done.
//
// A Check that panics is recorded as a failure carrying the panic message.
type Checker interface {
	Check(ctx context.Context) error
}

// CheckerFunc adapts an ordinary function to a [Checker].
type CheckerFunc func(ctx context.Context) error

// Check calls f(ctx).
func (f CheckerFunc) Check(ctx context.Context) error { return f(ctx) }

// Validator is implemented by checkers whose configuration can be wrong in
// ways only they know (a URL that does not parse, a table name with
// characters outside an identifier). [New] calls Validate once for every
// check that implements it, and a non-nil error is an error from New
// naming the check: a bad configuration fails at startup, not at the first
// probe.
type Validator interface {
	Validate() error
}

// Observer is implemented by checkers that report measured values alongside
// their result, such as a connection pool's open and in-use connections.
//
// Observations is called by the scheduler right after each Check returns, in
// the same goroutine, so it may read state that Check recorded without
// further locking. The returned slice must not be modified afterwards. The
// values appear in readiness bodies when details are enabled, in the IETF
// health format as observed values, and in [CheckState].
type Observer interface {
	Observations() []Observation
}

// Observation is one measured value reported by an [Observer].
type Observation struct {
	// Name identifies the value within its check, e.g. "open_connections".
	Name string
	// Value is the measurement.
	Value float64
	// Unit is an optional unit, e.g. "ms" or "bytes".
	Unit string
}

// Warn marks err as a warning: a check that returns Warn(err) passes (it
// counts as a success for the thresholds) but reports the degraded status,
// which still answers 200. Use it for warning thresholds, such as memory use
// above 80% of the limit. Warn(nil) returns nil.
func Warn(err error) error {
	if err == nil {
		return nil
	}
	return &warning{err: err}
}

// IsWarning reports whether err, or an error it wraps, was made by [Warn].
func IsWarning(err error) bool {
	var w *warning
	return errors.As(err, &w)
}

type warning struct{ err error }

func (w *warning) Error() string { return w.err.Error() }
func (w *warning) Unwrap() error { return w.err }
