package httpcheck

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// await runs f in a goroutine of its own and returns its result, or ctx's
// error as soon as ctx is done, whichever comes first: a transport the
// application wrapped (for tracing, retries, metrics) need not give up at
// the context's deadline, and a Check must. The result channel has room for
// the result, so a run abandoned at the deadline still ends when f returns.
// A panic in f is returned as an error, because no caller is left to
// recover it.
func await[T any](ctx context.Context, f func(context.Context) (T, error)) (T, error) {
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

// withContext makes err, returned after ctx was done or its deadline had
// passed, wrap ctx's error, so that errors.Is(err,
// context.DeadlineExceeded) holds whatever error was reported. The
// deadline counts even before ctx says so: a network call given the same
// deadline may notice it first and report an i/o timeout while ctx.Err()
// is still nil.
func withContext(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	ctxErr := ctx.Err()
	if d, ok := ctx.Deadline(); ctxErr == nil && ok && !time.Now().Before(d) {
		ctxErr = context.DeadlineExceeded
	}
	if ctxErr == nil || errors.Is(err, ctxErr) {
		return err
	}
	return fmt.Errorf("%w: %w", ctxErr, err)
}
