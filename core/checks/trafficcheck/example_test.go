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
