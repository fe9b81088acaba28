package core

import (
	"context"
	"time"
)

// watch is the stale-result safety net: independently of the scheduler, it
// marks a passing check failing once its last result is older than its
// StaleAfter limit, so a stale pass is never served however the scheduler
// came to fall behind. It sleeps until the earliest such deadline and is
// woken after every result.
func watch(ctx context.Context, tr *tracker) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		next := tr.expire(time.Now())
		if next.IsZero() {
			timer.Stop()
		} else {
			timer.Reset(time.Until(next))
		}
		select {
		case <-ctx.Done():
			return
		case <-tr.wake:
		case <-timer.C:
		}
	}
}
