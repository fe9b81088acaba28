package httpprobe_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core"
)

// benchWriter is a reusable http.ResponseWriter that behaves like
// net/http's own for what a handler can observe (a header map, one
// WriteHeader, content sniffing when no Content-Type is set) without the
// network, so that a benchmark measures the handler and not a recorder's
// allocations.
type benchWriter struct {
	h           http.Header
	code        int
	n           int
	sniffed     string
	wroteHeader bool
}

func (w *benchWriter) reset() {
	clear(w.h)
	w.code, w.n, w.sniffed, w.wroteHeader = 0, 0, "", false
}

func (w *benchWriter) Header() http.Header { return w.h }

func (w *benchWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.wroteHeader, w.code = true, code
	}
}

func (w *benchWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		if _, ok := w.h["Content-Type"]; !ok {
			w.sniffed = http.DetectContentType(b) // as net/http does
		}
		w.WriteHeader(http.StatusOK)
	}
	w.n += len(b)
	return len(b), nil
}

// bare is the floor: the least a probe handler can do.
var bare = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	_, _ = w.Write([]byte("ok"))
})

func benchHealth(b *testing.B, checks int) *core.Health {
	b.Helper()
	// A long interval keeps results (and their re-rendering) from landing
	// during the measurement: this measures the probe, not the scheduler.
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

func run(b *testing.B, handler http.Handler, target string, wantCode int) {
	b.Helper()
	r := httptest.NewRequest("GET", target, nil)
	w := &benchWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		w.reset()
		handler.ServeHTTP(w, r)
	}
	if w.code != wantCode {
		b.Fatalf("GET %s = %d; want %d", target, w.code, wantCode)
	}
}

// BenchmarkGET compares answering a probe through Wrap (handler=probekit)
// with a bare handler writing "ok" (handler=bare), in the same run, with 5
// healthy checks registered. Compare with: benchstat -col /handler.
func BenchmarkGET(b *testing.B) {
	h := benchHealth(b, 5)
	wrapped := httpprobe.Wrap(h, http.NotFoundHandler())
	for _, target := range []string{"/healthz", "/readyz", "/readyz/check-3", "/readyz?verbose"} {
		name := strings.NewReplacer("/", "", "?", "-").Replace(target)
		b.Run("path="+name+"/handler=bare", func(b *testing.B) { run(b, bare, target, 200) })
		b.Run("path="+name+"/handler=probekit", func(b *testing.B) { run(b, wrapped, target, 200) })
	}
}

// BenchmarkReadyzChecks shows that the probe's cost does not depend on the
// number of checks: it writes one pre-rendered answer.
func BenchmarkReadyzChecks(b *testing.B) {
	for _, n := range []int{1, 5, 20, 100} {
		h := benchHealth(b, n)
		wrapped := httpprobe.Wrap(h, http.NotFoundHandler())
		b.Run(fmt.Sprintf("checks=%d", n), func(b *testing.B) { run(b, wrapped, "/readyz", 200) })
	}
}

// BenchmarkNonProbe measures what Wrap adds to a request that is not a
// probe: the app called directly (handler=bare) against the app behind Wrap
// (handler=probekit).
func BenchmarkNonProbe(b *testing.B) {
	h := benchHealth(b, 5)
	app := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	wrapped := httpprobe.Wrap(h, app)
	for _, target := range []string{"/api/v1/users/42", "/static/app.js", "/readyzz"} {
		name := strings.ReplaceAll(strings.TrimPrefix(target, "/"), "/", "-")
		b.Run("path="+name+"/handler=bare", func(b *testing.B) { run(b, app, target, 204) })
		b.Run("path="+name+"/handler=probekit", func(b *testing.B) { run(b, wrapped, target, 204) })
	}
}
