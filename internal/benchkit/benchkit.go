// Package benchkit holds what the adapters' benchmarks share: a started
// Health with passing checks and no results landing during a measurement,
// and a loop that drives an http.Handler in-process through a reusable
// ResponseWriter, so that a benchmark measures the handler, not a
// recorder's allocations.
package benchkit

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
)

// Health returns a started Health with checks passing checks named
// "check-0", "check-1", …, once readiness is ok. Their interval is an hour,
// so no result (and no re-rendering) lands during a measurement. It is
// closed when b ends.
func Health(b testing.TB, checks int) *core.Health {
	b.Helper()
	opts := []core.Option{core.WithLogger(nil), core.WithCheckDefaults(core.Interval(time.Hour))}
	for i := range checks {
		opts = append(opts, core.WithCheck(fmt.Sprintf("check-%d", i), core.CheckerFunc(func(context.Context) error { return nil })))
	}
	h := core.MustNew(opts...)
	ready := make(chan struct{})
	stop := h.Listen(func(ev core.Event) {
		if ev.Check == "" && ev.Probe == core.Readiness && ev.To == core.StatusHealthy {
			close(ready)
		}
	})
	if err := h.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	if checks > 0 {
		<-ready
	}
	stop()
	b.Cleanup(func() { _ = h.Close() })
	return h
}

// Serve runs GET target through handler b.N times with allocations
// reported, and fails b if the last answer's status is not wantCode.
func Serve(b *testing.B, handler http.Handler, target string, wantCode int) {
	b.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	w := NewWriter()
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		handler.ServeHTTP(w, r)
	}
	if w.code != wantCode {
		b.Fatalf("GET %s = %d; want %d", target, w.code, wantCode)
	}
}

// Writer is a reusable http.ResponseWriter that behaves like net/http's
// own for what a handler can observe (a header map, one WriteHeader,
// content sniffing when no Content-Type is set) without the network.
type Writer struct {
	h           http.Header
	code        int
	n           int
	sniffed     string
	wroteHeader bool
}

// NewWriter returns an empty Writer.
func NewWriter() *Writer { return &Writer{h: http.Header{}} }

// Code is the status code written, 0 before WriteHeader or Write.
func (w *Writer) Code() int { return w.code }

// Reset makes w ready for the next request without allocating.
func (w *Writer) Reset() {
	clear(w.h)
	w.code, w.n, w.sniffed, w.wroteHeader = 0, 0, "", false
}

// Header returns the response header map.
func (w *Writer) Header() http.Header { return w.h }

// WriteHeader records the first status code.
func (w *Writer) WriteHeader(code int) {
	if !w.wroteHeader {
		w.wroteHeader, w.code = true, code
	}
}

// Write counts b, sniffing a Content-Type first if none was set, as
// net/http does.
func (w *Writer) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		if _, ok := w.h["Content-Type"]; !ok {
			w.sniffed = http.DetectContentType(b)
		}
		w.WriteHeader(http.StatusOK)
	}
	w.n += len(b)
	return len(b), nil
}
