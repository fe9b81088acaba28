// Package ctxerr shapes the errors of checks that failed because their
// context ended, so that errors.Is(err, context.DeadlineExceeded) holds
// whatever error the client chose to report at its deadline.
//
// The checkers call their clients in the caller's goroutine and return
// when the client does; ending a run that outlives its timeout is the
// scheduler's job (core.Timeout), not theirs.
package ctxerr

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Err returns ctx's error, or context.DeadlineExceeded once ctx's deadline
// has passed even if ctx does not say so yet: a client given the same
// deadline may notice it first and report an i/o timeout while ctx.Err()
// is still nil.
func Err(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}

// Wrap makes err, returned after ctx was done or its deadline had passed
// (see [Err]), wrap ctx's error, so that errors.Is(err,
// context.DeadlineExceeded) holds whatever error the client chose to
// report (an i/o timeout, a closed connection). It returns nil for a nil
// err, and err itself when ctx is not done or err already wraps its error.
func Wrap(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	ctxErr := Err(ctx)
	if ctxErr == nil || errors.Is(err, ctxErr) {
		return err
	}
	return fmt.Errorf("%w: %w", ctxErr, err)
}
