package core

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkRecord measures what one check result costs the scheduler:
// applying it, re-rendering every answer it changes and publishing the
// snapshot. This cost is paid at most once per check run (results that
// arrive together share one publication), never per probe.
func BenchmarkRecord(b *testing.B) {
	for _, n := range []int{1, 5, 20, 100} {
		b.Run(fmt.Sprintf("checks=%d", n), func(b *testing.B) {
			opts := []Option{WithLogger(nil)}
			for i := range n {
				opts = append(opts, WithCheck(fmt.Sprintf("check-%d", i), CheckerFunc(func(context.Context) error { return nil })))
			}
			h := MustNew(opts...)
			defer h.Close()
			c := h.checks[0]
			r := result{at: time.Now(), dur: time.Millisecond}
			var bt batch
			b.ReportAllocs()
			for b.Loop() {
				r.at = r.at.Add(time.Second)
				h.apply(c, r, &bt)
				h.publish(&bt)
			}
		})
	}
}
