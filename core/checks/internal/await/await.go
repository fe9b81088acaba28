// Package await lets a checker return at its context's deadline whether
// or not the client library it calls does: a driver, a transport the
// application wrapped, a resolver's Dial function or a pool's hooks need
// not give up at the deadline, and a Check must.
package await

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Do runs f in a goroutine of its own and returns its result, or ctx's
// error as soon as ctx is done, whichever comes first. The result channel
// has room for the result, so a run abandoned at the deadline still ends
// when f returns. A panic in f is returned as an error ("panic: …"),
// because no caller is left to recover it. Do does not call f when ctx is
// already done.
func Do[T any](ctx context.Context, f func(context.Context) (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	ch := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r = result{err: fmt.Errorf("panic: %v", p)}
			}
			ch <- r
		}()
		r.v, r.err = f(ctx)
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		select {
		case r := <-ch: // finished just in time: prefer its result
			return r.v, r.err
		default:
			return zero, ctx.Err()
		}
	}
}

// DeadlineErr returns ctx's error, or context.DeadlineExceeded once ctx's
// deadline has passed even if ctx does not say so yet: a client given the
// same deadline may notice it first and report an i/o timeout while
// ctx.Err() is still nil.
func DeadlineErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}

// WithContext makes err, returned after ctx was done or its deadline had
// passed (see [DeadlineErr]), wrap ctx's error, so that errors.Is(err,
// context.DeadlineExceeded) holds whatever error the client chose to
// report (an i/o timeout, a closed connection). It returns nil for a nil
// err, and err itself when ctx is not done or err already wraps its error.
func WithContext(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	ctxErr := DeadlineErr(ctx)
	if ctxErr == nil || errors.Is(err, ctxErr) {
		return err
	}
	return fmt.Errorf("%w: %w", ctxErr, err)
}
