package sqlcheck

import (
	"context"
	"errors"
	"fmt"
)

// await runs f in a goroutine of its own and returns its result, or ctx's
// error as soon as ctx is done, whichever comes first: database drivers
// do not all give up at the context's deadline, and a Check must. The
// result channel has room for the result, so a run abandoned at the
// deadline still ends, and is collected, when f returns. A panic in f is
// returned as an error, because no caller is left to recover it.
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
				r = result{err: fmt.Errorf("sqlcheck: panic: %v", p)}
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

// withContext makes err, returned after ctx was done, wrap ctx's
// error, so that errors.Is(err, context.DeadlineExceeded) holds whatever
// error the driver chose to report, such as a closed connection.
func withContext(ctx context.Context, err error) error {
	ctxErr := ctx.Err()
	if err == nil || ctxErr == nil || errors.Is(err, ctxErr) {
		return err
	}
	return fmt.Errorf("%w: %w", ctxErr, err)
}
