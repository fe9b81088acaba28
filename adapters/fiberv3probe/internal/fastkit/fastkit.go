// Package fastkit is benchkit for fasthttp (Fiber v3): it drives a
// fasthttp.RequestHandler in process through one reused RequestCtx, so
// that a benchmark measures the handler, not a network or a recorder.
package fastkit

import (
	"testing"

	"github.com/valyala/fasthttp"
)

// NewRequestCtx returns a RequestCtx holding a method request for target.
func NewRequestCtx(method, target string) *fasthttp.RequestCtx {
	var req fasthttp.Request
	req.Header.SetMethod(method)
	req.SetRequestURI(target)
	ctx := new(fasthttp.RequestCtx)
	ctx.Init(&req, nil, nil)
	return ctx
}

// Serve runs GET target through handler b.N times with allocations
// reported, and fails b if the last answer's status is not wantCode.
func Serve(b *testing.B, handler fasthttp.RequestHandler, target string, wantCode int) {
	b.Helper()
	ctx := NewRequestCtx(fasthttp.MethodGet, target)
	b.ReportAllocs()
	for b.Loop() {
		ctx.Response.Reset()
		handler(ctx)
	}
	if got := ctx.Response.StatusCode(); got != wantCode {
		b.Fatalf("GET %s = %d; want %d (body %q)", target, got, wantCode, ctx.Response.Body())
	}
}
