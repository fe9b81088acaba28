package core

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/probekit/probekit/core/internal/answer"
)

// BenchmarkRecord measures what one check result costs the scheduler:
// applying it and publishing the snapshot (which renders nothing). This cost is paid at most once per check run (results that
// arrive together share one publication), never per probe.
func BenchmarkRecord(b *testing.B) {
	for _, n := range []int{1, 5, 20, 100, 1000} {
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
				h.tr.apply(c, r, &bt)
				h.tr.publish(&bt)
			}
		})
	}
}

// BenchmarkRecordThenProbe is BenchmarkRecord followed by one GET /readyz:
// the cost of a result when a probe asks for the answer after every one,
// the first request after a change rendering it.
func BenchmarkRecordThenProbe(b *testing.B) {
	for _, n := range []int{1, 5, 20, 100, 1000} {
		b.Run(fmt.Sprintf("checks=%d", n), func(b *testing.B) {
			opts := []Option{WithLogger(nil)}
			for i := range n {
				opts = append(opts, WithCheck(fmt.Sprintf("check-%d", i), CheckerFunc(func(context.Context) error { return nil })))
			}
			h := MustNew(opts...)
			defer h.Close()
			c := h.checks[0]
			r := result{at: time.Now(), dur: time.Millisecond}
			req := answer.Request{Method: "GET", Path: "/readyz"}
			var bt batch
			b.ReportAllocs()
			for b.Loop() {
				r.at = r.at.Add(time.Second)
				h.tr.apply(c, r, &bt)
				h.tr.publish(&bt)
				rt, _ := h.rt.match(req.Path)
				if h.rt.respond(rt, &req) == nil {
					b.Fatal("no answer")
				}
			}
		})
	}
}

// BenchmarkStartResults is the first result of every check, as at Start,
// published once for all of them (batched, as the scheduler does with the
// results waiting at its turn) or once per result.
func BenchmarkStartResults(b *testing.B) {
	for _, n := range []int{20, 100, 1000} {
		for _, batched := range []bool{true, false} {
			b.Run(fmt.Sprintf("checks=%d/batched=%v", n, batched), func(b *testing.B) {
				opts := []Option{WithLogger(nil)}
				for i := range n {
					opts = append(opts, WithCheck(fmt.Sprintf("check-%d", i), CheckerFunc(func(context.Context) error { return nil })))
				}
				h := MustNew(opts...)
				defer h.Close()
				r := result{at: time.Now(), dur: time.Millisecond}
				var bt batch
				b.ReportAllocs()
				for b.Loop() {
					r.at = r.at.Add(time.Second)
					for _, c := range h.checks {
						h.tr.apply(c, r, &bt)
						if !batched {
							h.tr.publish(&bt)
						}
					}
					h.tr.publish(&bt)
				}
			})
		}
	}
}

// BenchmarkAnswer is one GET /readyz between changes: the answer the
// first request rendered (cached), against rendering it for every request
// (render), same run.
func BenchmarkAnswer(b *testing.B) {
	for _, n := range []int{1, 20, 100} {
		opts := []Option{WithLogger(nil)}
		for i := range n {
			opts = append(opts, WithCheck(fmt.Sprintf("check-%d", i), CheckerFunc(func(context.Context) error { return nil })))
		}
		h := MustNew(opts...)
		var bt batch
		for _, c := range h.checks {
			h.tr.apply(c, result{at: time.Now(), dur: time.Millisecond}, &bt)
		}
		h.tr.publish(&bt)
		req := answer.Request{Method: "GET", Path: "/readyz"}
		rt, _ := h.rt.match(req.Path)
		b.Run(fmt.Sprintf("checks=%d/impl=cached", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				h.rt.respond(rt, &req)
			}
		})
		b.Run(fmt.Sprintf("checks=%d/impl=render", n), func(b *testing.B) {
			b.ReportAllocs()
			v := h.tr.load().probes[readyIdx].resp.v
			for b.Loop() {
				render(&v, fmtJSON)
			}
		})
		h.Close()
	}
}
