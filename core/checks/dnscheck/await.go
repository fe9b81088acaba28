package dnscheck

import (
	"context"
	"fmt"
	"time"
)

// await runs f in a goroutine of its own and returns its result, or ctx's
// error as soon as ctx is done, whichever comes first: a resolver's Dial
// function need not give up at the context's deadline, and a Check must. The result channel has room for
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

// deadlineErr returns ctx's error, or context.DeadlineExceeded once ctx's
// deadline has passed even if ctx does not say so yet: a resolver given
// the same deadline may notice it first and report an i/o timeout while
// ctx.Err() is still nil.
func deadlineErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}
