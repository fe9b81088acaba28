package testenv

import (
	"errors"
	"testing"
	"time"
)

// pollInterval is how often [Eventually] and the server helpers re-check a
// condition.
const pollInterval = 10 * time.Millisecond

// Eventually calls cond every few milliseconds until it returns nil, and
// fails the test with cond's last error if that has not happened within
// timeout. It is the way to wait for something in this module's tests: poll
// a condition against a deadline, never sleep and hope.
//
// cond runs on the calling goroutine, so it may use t; Eventually must be
// called from the test's goroutine.
func Eventually(t testing.TB, timeout time.Duration, cond func() error) {
	t.Helper()
	if err := poll(timeout, cond); err != nil {
		t.Fatalf("testenv: condition not met within %v: %v", timeout, err)
	}
}

// errAbort marks an error returned by a poll condition as final: poll stops
// at once instead of trying again.
type errAbort struct{ err error }

func (e *errAbort) Error() string { return e.err.Error() }
func (e *errAbort) Unwrap() error { return e.err }

// abort makes poll return err without calling its condition again.
func abort(err error) error { return &errAbort{err: err} }

// poll calls cond until it returns nil or an error made by abort, or until
// timeout has passed, and returns cond's last error (nil on success).
func poll(timeout time.Duration, cond func() error) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		err := cond()
		var a *errAbort
		if err == nil || errors.As(err, &a) {
			return err
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			return err
		}
	}
}
