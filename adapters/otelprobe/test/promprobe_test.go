package test

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.opentelemetry.io/otel/attribute"

	"github.com/probekit/probekit/adapters/otelprobe"
	"github.com/probekit/probekit/adapters/promprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// TestSideBySideWithPromprobe registers otelprobe and a promprobe Collector
// on the same Health and takes it through passes, failures, a warning,
// drain and close: after each step every promprobe series has the
// otelprobe series of the same meaning with the same value, and the
// other way round.
func TestSideBySideWithPromprobe(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		db := &switchable{sleep: runTime}
		h := testenv.NewHealth(t,
			core.WithCheckDefaults(core.Interval(time.Second), core.Jitter(0), core.MaxBackoff(time.Second)),
			core.WithCheck("db", db, core.FailureThreshold(2)),
			core.WithCheck("cache", &switchable{sleep: runTime}, core.Critical(false)),
		)
		tel := newTelemetry(t)
		tel.register(t, h)
		c, err := promprobe.NewCollector(h)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		reg := prometheus.NewPedanticRegistry()
		reg.MustRegister(c)

		start := time.Now()
		tests := []struct {
			name string
			give func()
			at   time.Duration // since start; zero: at once
		}{
			{"before Start", func() {}, 0},
			{"started", func() { _ = h.Start(t.Context()) }, time.Second},
			{"db failing", func() { db.set(errors.New("connection refused")) }, 3 * time.Second},
			{"db warning", func() { db.set(core.Warn(errors.New("lag"))) }, 4 * time.Second},
			{"draining", h.Drain, 4 * time.Second},
			{"closed", func() { _ = h.Close() }, 4 * time.Second},
		}
		for _, tt := range tests {
			tt.give()
			time.Sleep(time.Until(start.Add(tt.at)))
			synctest.Wait()
			mfs, err := reg.Gather()
			if err != nil {
				t.Fatal(err)
			}
			prom, otel := fromPrometheus(mfs), tel.collect(t)
			for _, k := range slices.Sorted(maps.Keys(prom)) {
				if v, ok := otel[k]; !ok || v != prom[k] {
					t.Errorf("%s: otelprobe %s = %v (present %t); promprobe says %v", tt.name, k, v, ok, prom[k])
				}
			}
			for _, k := range slices.Sorted(maps.Keys(otel)) {
				if _, ok := prom[k]; !ok {
					t.Errorf("%s: otelprobe %s = %v has no promprobe counterpart", tt.name, k, otel[k])
				}
			}
		}
	})
}

// fromPrometheus maps promprobe's series to the keys of the otelprobe
// series of the same meaning. probekit_check_critical becomes the
// critical attribute of every check series. A histogram with no
// observation is left out: an OpenTelemetry histogram has no point until
// its first.
func fromPrometheus(mfs []*dto.MetricFamily) samples {
	label := func(m *dto.Metric, name string) string {
		for _, lp := range m.GetLabel() {
			if lp.GetName() == name {
				return lp.GetValue()
			}
		}
		return ""
	}
	critical := map[string]bool{}
	for _, mf := range mfs {
		if mf.GetName() == "probekit_check_critical" {
			for _, m := range mf.GetMetric() {
				critical[label(m, "check")] = m.GetGauge().GetValue() == 1
			}
		}
	}
	attrs := func(m *dto.Metric) []attribute.KeyValue {
		return checkAttrs(label(m, "check"), critical[label(m, "check")])
	}
	out := samples{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			switch mf.GetName() {
			case "probekit_check_status":
				out[series(otelprobe.MetricCheckStatus, append(attrs(m), otelprobe.AttrCheckState.String(label(m, "state")))...)] = m.GetGauge().GetValue()
			case "probekit_probe_status":
				out[series(otelprobe.MetricProbeStatus, otelprobe.AttrProbeName.String(label(m, "probe")), otelprobe.AttrProbeState.String(label(m, "state")))] = m.GetGauge().GetValue()
			case "probekit_check_runs_total":
				out[series(otelprobe.MetricCheckRuns, attrs(m)...)] = m.GetCounter().GetValue()
			case "probekit_check_failures_total":
				out[series(otelprobe.MetricCheckFailures, attrs(m)...)] = m.GetCounter().GetValue()
			case "probekit_check_last_success_age_seconds":
				out[series(otelprobe.MetricCheckLastSuccessAge, attrs(m)...)] = m.GetGauge().GetValue()
			case "probekit_check_duration_seconds":
				if hg := m.GetHistogram(); hg.GetSampleCount() > 0 {
					out[series(otelprobe.MetricCheckDuration+".count", attrs(m)...)] = float64(hg.GetSampleCount())
					out[series(otelprobe.MetricCheckDuration+".sum", attrs(m)...)] = hg.GetSampleSum()
				}
			}
		}
	}
	return out
}
