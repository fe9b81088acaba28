package trafficcheck_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
)

func Example() {
	// One Recorder per app; in an app, a Traffic middleware line records
	// into it (httpprobe.Traffic(rec), ginprobe.Traffic(rec), …).
	rec := trafficcheck.NewRecorder()
	chk := trafficcheck.MustNew(rec, trafficcheck.Latency(200*time.Millisecond, time.Second))
	// In an app: core.WithCheck("traffic", chk), for readiness.

	for range 95 {
		rec.Record(http.StatusOK, 20*time.Millisecond)
	}
	fmt.Println(chk.Check(context.Background()))

	for range 5 { // 5 of 100 requests fail: below the 0.99 success rate
		rec.Record(http.StatusBadGateway, 20*time.Millisecond)
	}
	err := chk.Check(context.Background())
	fmt.Println(core.IsWarning(err), err)
	// Output:
	// <nil>
	// true trafficcheck: last 1m0s: success rate 95% below 99% (5 of 100 requests failed)
}

// Track is the body of a recording middleware: serve runs the rest of the
// chain and returns the status code sent. A panic is recorded as a 500 and
// goes on, to a recovering middleware further out.
func ExampleRecorder_Track() {
	rec := trafficcheck.NewRecorder()
	handle := func(path string) int { // the rest of the chain
		switch path {
		case "/panic":
			panic("boom")
		case "/fail":
			return http.StatusBadGateway
		}
		return http.StatusOK
	}
	for _, path := range []string{"/ok", "/fail", "/panic"} {
		func() {
			defer func() { // the recovering middleware
				if v := recover(); v != nil {
					fmt.Println(path, "panicked:", v)
				}
			}()
			rec.Track(func() int { return handle(path) })
		}()
	}
	st := rec.Stats(time.Minute, 99)
	fmt.Println(st.Requests, "requests,", st.Failures, "failed")
	// Output:
	// /panic panicked: boom
	// 3 requests, 2 failed
}
