package main

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain ends with a goroutine-leak check, as every package's tests do,
// with two known exceptions that are not probekit's:
//   - hellofresh/health-go leaves a check that timed out blocked for good on
//     a send nobody reads (docs/performance.md measures it);
//   - fasthttp's worker-pool cleaner notices its server has stopped only at
//     its next 10s tick, and its Date-header ticker runs for the process's
//     life.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreAnyFunction("github.com/hellofresh/health-go/v5.(*Health).Measure.func1.2"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*workerPool).Start.func2"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.updateServerDate.func1"),
	)
}
