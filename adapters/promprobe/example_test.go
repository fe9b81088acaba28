package promprobe_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/probekit/probekit/adapters/promprobe"
	"github.com/probekit/probekit/core"
)

// Serve a Health's metrics at /metrics on the app's mux. Before Start, the
// check "db" has no result yet, so readiness is starting.
func Example() {
	h := core.MustNew(
		core.WithLogger(nil),
		core.WithCheck("db", core.CheckerFunc(func(context.Context) error { return nil })),
	)
	defer h.Close()

	metrics, err := promprobe.Handler(h)
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)

	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for line := range strings.Lines(w.Body.String()) {
		if strings.HasPrefix(line, `probekit_probe_status{probe="readiness"`) {
			fmt.Print(line)
		}
	}
	// Output:
	// probekit_probe_status{probe="readiness",state="degraded"} 0
	// probekit_probe_status{probe="readiness",state="draining"} 0
	// probekit_probe_status{probe="readiness",state="ok"} 0
	// probekit_probe_status{probe="readiness",state="starting"} 1
	// probekit_probe_status{probe="readiness",state="unhealthy"} 0
}

// Register the collector with the app's own registry, beside its other
// metrics, with a label naming the service on every series.
func ExampleRegister() {
	h := core.MustNew(
		core.WithLogger(nil),
		core.WithCheck("db", core.CheckerFunc(func(context.Context) error { return nil })),
	)
	defer h.Close()

	reg := prometheus.NewRegistry() // the app's registry, served at /metrics
	if _, err := promprobe.Register(reg, h, promprobe.WithConstLabels(prometheus.Labels{"service": "cart"})); err != nil {
		panic(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		panic(err)
	}
	for _, mf := range mfs {
		fmt.Println(mf.GetName(), len(mf.GetMetric()))
	}
	// Output:
	// probekit_check_critical 1
	// probekit_check_duration_seconds 1
	// probekit_check_failures_total 1
	// probekit_check_runs_total 1
	// probekit_check_status 4
	// probekit_probe_status 15
}

// A Collector is an ordinary prometheus.Collector, so the testutil helpers
// work on it.
func ExampleNewCollector() {
	h := core.MustNew(
		core.WithLogger(nil),
		core.WithCheck("db", core.CheckerFunc(func(context.Context) error { return nil })),
		core.WithCheck("cache", core.CheckerFunc(func(context.Context) error { return nil })),
	)
	defer h.Close()

	c, err := promprobe.NewCollector(h)
	if err != nil {
		panic(err)
	}
	defer c.Close()

	fmt.Println("status series:", testutil.CollectAndCount(c, "probekit_check_status"))
	fmt.Println("age series before a first pass:", testutil.CollectAndCount(c, "probekit_check_last_success_age_seconds"))
	// Output:
	// status series: 8
	// age series before a first pass: 0
}
