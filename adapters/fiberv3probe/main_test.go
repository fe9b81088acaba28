package fiberv3probe_test

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// fasthttp refreshes the Date header of every response from a
		// package-level goroutine that it starts (sync.Once) on the first
		// response it writes and never stops, by design: one per process,
		// not one per app, request or test.
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.updateServerDate.func1"),
		// fasthttp compresses (Fiber's compress middleware, in
		// TestNewBehindResponseMiddleware) on a package-level pool of
		// stackless workers, started on first use and never stopped.
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp/stackless.funcWorker"),
	)
}
