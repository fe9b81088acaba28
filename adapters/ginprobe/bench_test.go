package ginprobe_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/core"
)

// benchWriter is a reusable http.ResponseWriter that behaves like
// net/http's own for what a handler can observe (a header map, one
// WriteHeader, content sniffing when no Content-Type is set) without the
// network, so that a benchmark measures the engine and not a recorder's
// allocations. It is httpprobe's benchWriter.
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

// bare is Gin's own way to answer with a constant: c.String, which sets
// a Content-Type as a probe answer does. (Writing to c.Writer directly,
// below Gin's rendering, is cheaper: no allocation, no header.)
func bare(c *gin.Context) { c.String(http.StatusOK, "ok") }

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

// appRoutes registers the routes of the app the benchmarks stand for.
func appRoutes(r *gin.Engine) *gin.Engine {
	app := func(c *gin.Context) { c.Status(http.StatusNoContent) }
	r.GET("/api/v1/users/:id", app)
	r.GET("/static/*filepath", app)
	r.GET("/readyzz", app)
	return r
}

var probeTargets = []struct{ name, target, route string }{
	{"healthz", "/healthz", "/healthz"},
	{"readyz", "/readyz", "/readyz"},
	{"readyz-check", "/readyz/check-3", "/readyz/check-3"},
	{"readyz-verbose", "/readyz?verbose", "/readyz"},
}

// BenchmarkGET compares answering a probe through Middleware on an engine
// with app routes (handler=probekit; the probe paths have no route, so Gin
// takes its 404 path) with Gin's bare handler writing "ok" registered as a
// route at the probe path (handler=bare), in the same run, with 5 healthy
// checks registered.
// Compare with: benchstat -col /handler.
func BenchmarkGET(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	h := benchHealth(b, 5)
	withBare := appRoutes(gin.New())
	for _, p := range []string{"/healthz", "/readyz", "/readyz/check-3"} {
		withBare.GET(p, bare)
	}
	withProbes := gin.New()
	withProbes.Use(ginprobe.Middleware(h))
	appRoutes(withProbes)
	for _, tt := range probeTargets {
		b.Run("path="+tt.name+"/handler=bare", func(b *testing.B) { run(b, withBare, tt.target, 200) })
		b.Run("path="+tt.name+"/handler=probekit", func(b *testing.B) { run(b, withProbes, tt.target, 200) })
	}
}

// BenchmarkNonProbe measures what Middleware adds to a request that is not
// a probe: the app's engine without it (handler=bare) against the same app
// with it registered first (handler=probekit).
func BenchmarkNonProbe(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	h := benchHealth(b, 5)
	app := appRoutes(gin.New())
	withProbes := gin.New()
	withProbes.Use(ginprobe.Middleware(h))
	appRoutes(withProbes)
	for _, target := range []string{"/api/v1/users/42", "/static/app.js", "/readyzz"} {
		name := strings.ReplaceAll(strings.TrimPrefix(target, "/"), "/", "-")
		b.Run("path="+name+"/handler=bare", func(b *testing.B) { run(b, app, target, 204) })
		b.Run("path="+name+"/handler=probekit", func(b *testing.B) { run(b, withProbes, target, 204) })
	}
}
