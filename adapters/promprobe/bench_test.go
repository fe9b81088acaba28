package promprobe_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/probekit/probekit/adapters/promprobe"
	"github.com/probekit/probekit/internal/benchkit"
)

const benchChecks = 20

// BenchmarkScrape measures one scrape of a Health with 20 passing checks:
// Gather alone (path=gather) and through promhttp into a discarding
// ResponseWriter (path=promhttp, text format, no compression). As a
// baseline in the same run, metrics=vecs scrapes the same series held in
// client_golang's own GaugeVec, CounterVec and HistogramVec, as an app
// instrumenting by hand would keep them; metrics=probekit is the
// Collector, which builds its series from the Health at scrape time.
// Compare with: benchstat -col /metrics.
func BenchmarkScrape(b *testing.B) {
	h := benchkit.Health(b, benchChecks)
	c, err := promprobe.NewCollector(h)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.Close)
	regs := []struct {
		name string
		reg  *prometheus.Registry
	}{
		{"vecs", vecRegistry(benchChecks)},
		{"probekit", prometheus.NewRegistry()},
	}
	regs[1].reg.MustRegister(c)

	for _, r := range regs {
		b.Run("path=gather/metrics="+r.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.reg.Gather(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, r := range regs {
		handler := promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{})
		b.Run("path=promhttp/metrics="+r.name, func(b *testing.B) {
			benchkit.Serve(b, handler, "/metrics", http.StatusOK)
		})
	}
}

// vecRegistry returns a registry with the series a Collector exports for
// n passing checks, held in client_golang's vectors.
func vecRegistry(n int) *prometheus.Registry {
	const ns = "probekit"
	status := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "check_status", Help: "h"}, []string{"check", "state"})
	critical := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "check_critical", Help: "h"}, []string{"check"})
	runs := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "check_runs_total", Help: "h"}, []string{"check"})
	failures := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "check_failures_total", Help: "h"}, []string{"check"})
	age := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "check_last_success_age_seconds", Help: "h"}, []string{"check"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "check_duration_seconds", Help: "h"}, []string{"check"})
	probe := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "probe_status", Help: "h"}, []string{"probe", "state"})
	for i := range n {
		name := fmt.Sprintf("check-%d", i)
		for _, s := range []string{"starting", "ok", "degraded", "unhealthy"} {
			status.WithLabelValues(name, s).Set(b2f(s == "ok"))
		}
		critical.WithLabelValues(name).Set(1)
		runs.WithLabelValues(name).Add(1)
		failures.WithLabelValues(name)
		age.WithLabelValues(name).Set(0.5)
		duration.WithLabelValues(name)
	}
	for _, p := range []string{"liveness", "readiness", "startup"} {
		for _, s := range []string{"starting", "ok", "degraded", "unhealthy", "draining"} {
			probe.WithLabelValues(p, s).Set(b2f(s == "ok"))
		}
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(status, critical, runs, failures, age, duration, probe)
	return reg
}
