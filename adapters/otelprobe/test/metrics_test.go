package test

import (
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/probekit/probekit/adapters/otelprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// runTime is how long each run of a switchable check takes under synctest:
// a power of two fraction of a second, so that sums and ages are exact.
const runTime = 125 * time.Millisecond

// TestInstrumentsFollowChecks takes a critical check "db" through ok,
// failing below and at its threshold, passing with a warning and ok again,
// beside a non-critical "cache" that always passes, and compares the
// collected values with exact ones after each step. Time is synctest's:
// every run takes exactly runTime and starts exactly an interval after the
// end of the last.
func TestInstrumentsFollowChecks(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		db, cache := &switchable{sleep: runTime}, &switchable{sleep: runTime}
		h := testenv.NewHealth(t,
			core.WithCheckDefaults(core.Interval(time.Second), core.Jitter(0), core.MaxBackoff(time.Second)),
			core.WithCheck("db", db, core.FailureThreshold(2)),
			core.WithCheck("cache", cache, core.Critical(false)),
		)
		tel := newTelemetry(t)
		tel.register(t, h)

		// Before Start: every check starting, no pass yet (so no age
		// series), counters at zero, no duration recorded.
		want := merge(
			checkStatus("db", true, "starting"), checkStatus("cache", false, "starting"),
			probeStatus("liveness", "ok"), probeStatus("readiness", "starting"), probeStatus("startup", "ok"),
			samples{
				series(otelprobe.MetricCheckRuns, checkAttrs("db", true)...):         0,
				series(otelprobe.MetricCheckFailures, checkAttrs("db", true)...):     0,
				series(otelprobe.MetricCheckRuns, checkAttrs("cache", false)...):     0,
				series(otelprobe.MetricCheckFailures, checkAttrs("cache", false)...): 0,
			},
		)
		got := tel.collect(t)
		for _, d := range got.diff(want, ageSeries("db", true), ageSeries("cache", false),
			series(otelprobe.MetricCheckDuration+".count", checkAttrs("db", true)...)) {
			t.Errorf("before Start: %s", d)
		}
		if len(got) != len(want) {
			t.Errorf("before Start: %d series; want %d", len(got), len(want))
		}

		start := time.Now()
		if err := h.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		// Both checks run at 0s, 1.125s, 2.25s, 3.375s and 4.5s, each run
		// ending runTime later. Each step looks between runs.
		tests := []struct {
			name string
			give error         // db's outcome from this step on
			at   time.Duration // since Start
			want samples
		}{
			{
				name: "first results",
				at:   1 * time.Second,
				want: merge(
					checkStatus("db", true, "ok"), counts("db", true, 1, 0, 0.125), age("db", true, 0.875),
					checkStatus("cache", false, "ok"), counts("cache", false, 1, 0, 0.125), age("cache", false, 0.875),
					probeStatus("readiness", "ok"), probeStatus("liveness", "ok"), probeStatus("startup", "ok"),
				),
			},
			{
				name: "db fails once, below its threshold",
				give: errors.New("connection refused"),
				at:   2 * time.Second,
				want: merge(
					checkStatus("db", true, "ok"), counts("db", true, 2, 1, 0.25), age("db", true, 1.875),
					checkStatus("cache", false, "ok"), counts("cache", false, 2, 0, 0.25), age("cache", false, 0.75),
					probeStatus("readiness", "ok"),
				),
			},
			{
				name: "db fails twice, at its threshold",
				give: errors.New("connection refused"),
				at:   3 * time.Second,
				want: merge(
					checkStatus("db", true, "unhealthy"), counts("db", true, 3, 2, 0.375), age("db", true, 2.875),
					checkStatus("cache", false, "ok"), counts("cache", false, 3, 0, 0.375), age("cache", false, 0.625),
					probeStatus("readiness", "unhealthy"), probeStatus("liveness", "ok"),
				),
			},
			{
				name: "db passes with a warning",
				give: core.Warn(errors.New("replication lag 12s")),
				at:   4 * time.Second,
				want: merge(
					checkStatus("db", true, "degraded"), counts("db", true, 4, 2, 0.5), age("db", true, 0.5),
					checkStatus("cache", false, "ok"), counts("cache", false, 4, 0, 0.5), age("cache", false, 0.5),
					probeStatus("readiness", "degraded"),
				),
			},
			{
				name: "db ok again",
				at:   5 * time.Second,
				want: merge(
					checkStatus("db", true, "ok"), counts("db", true, 5, 2, 0.625), age("db", true, 0.375),
					checkStatus("cache", false, "ok"), counts("cache", false, 5, 0, 0.625), age("cache", false, 0.375),
					probeStatus("readiness", "ok"),
				),
			},
		}
		for _, tt := range tests {
			db.set(tt.give)
			time.Sleep(time.Until(start.Add(tt.at)))
			synctest.Wait() // every result recorded and delivered
			for _, d := range tel.collect(t).diff(tt.want) {
				t.Errorf("%s: %s", tt.name, d)
			}
		}

		if err := h.Close(); err != nil {
			t.Fatal(err)
		}
		want = merge(probeStatus("readiness", "draining"), probeStatus("liveness", "ok"), counts("db", true, 5, 2, 0.625))
		for _, d := range tel.collect(t).diff(want) {
			t.Errorf("after Close: %s", d)
		}
	})
}

// TestInstrumentTable checks every instrument against the table in
// docs/opentelemetry.md: kind, unit, attribute keys, and for the
// histogram its bucket bounds.
func TestInstrumentTable(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := testenv.NewHealth(t, core.WithCheck("db", &switchable{}, core.Interval(time.Second)))
		tel := newTelemetry(t)
		tel.register(t, h)
		if err := h.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // the first result, so that every instrument has a point

		checkKeys := []attribute.Key{otelprobe.AttrCheckCritical, otelprobe.AttrCheckName}
		tests := []struct {
			name     string
			wantKind string
			wantUnit string
			wantKeys []attribute.Key // sorted
		}{
			{otelprobe.MetricProbeStatus, "updowncounter", "1", []attribute.Key{otelprobe.AttrProbeName, otelprobe.AttrProbeState}},
			{otelprobe.MetricCheckStatus, "updowncounter", "1", []attribute.Key{otelprobe.AttrCheckCritical, otelprobe.AttrCheckName, otelprobe.AttrCheckState}},
			{otelprobe.MetricCheckLastSuccessAge, "gauge", "s", checkKeys},
			{otelprobe.MetricCheckDuration, "histogram", "s", checkKeys},
			{otelprobe.MetricCheckRuns, "counter", "{run}", checkKeys},
			{otelprobe.MetricCheckFailures, "counter", "{run}", checkKeys},
		}
		ms := tel.metrics(t)
		if len(ms) != len(tests) {
			t.Errorf("%d instruments reported; want %d", len(ms), len(tests))
		}
		for _, tt := range tests {
			i := slices.IndexFunc(ms, func(m metricdata.Metrics) bool { return m.Name == tt.name })
			if i < 0 {
				t.Errorf("%s not reported", tt.name)
				continue
			}
			m := ms[i]
			kind, keys := describe(m)
			if kind != tt.wantKind {
				t.Errorf("%s kind = %s; want %s", tt.name, kind, tt.wantKind)
			}
			if m.Unit != tt.wantUnit {
				t.Errorf("%s unit = %q; want %q", tt.name, m.Unit, tt.wantUnit)
			}
			if m.Description == "" {
				t.Errorf("%s has no description", tt.name)
			}
			if !slices.Equal(keys, tt.wantKeys) {
				t.Errorf("%s attribute keys = %v; want %v", tt.name, keys, tt.wantKeys)
			}
		}
		i := slices.IndexFunc(ms, func(m metricdata.Metrics) bool { return m.Name == otelprobe.MetricCheckDuration })
		if i >= 0 {
			want := []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}
			if got := ms[i].Data.(metricdata.Histogram[float64]).DataPoints[0].Bounds; !slices.Equal(got, want) {
				t.Errorf("%s bounds = %v; want %v", otelprobe.MetricCheckDuration, got, want)
			}
		}
	})
}

// describe returns the kind of m's instrument as the docs name it and the
// attribute keys of its first point.
func describe(m metricdata.Metrics) (kind string, keys []attribute.Key) {
	var set attribute.Set
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		kind = "updowncounter"
		if d.IsMonotonic {
			kind = "counter"
		}
		if d.Temporality != metricdata.CumulativeTemporality {
			kind += " (not cumulative)"
		}
		set = d.DataPoints[0].Attributes
	case metricdata.Gauge[float64]:
		kind, set = "gauge", d.DataPoints[0].Attributes
	case metricdata.Histogram[float64]:
		kind, set = "histogram", d.DataPoints[0].Attributes
	default:
		return "unexpected", nil
	}
	for _, kv := range set.ToSlice() {
		keys = append(keys, kv.Key)
	}
	return kind, keys
}

// TestDrain follows readiness through Drain, Resume and Close: the
// readiness series flip to draining and back while liveness and the
// checks stay ok.
func TestDrain(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := testenv.NewHealth(t, core.WithCheck("db", &switchable{}, core.Interval(time.Second)))
		tel := newTelemetry(t)
		tel.register(t, h)
		if err := h.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()

		tests := []struct {
			name string
			give func()
			want samples
		}{
			{"started", func() {}, merge(probeStatus("readiness", "ok"), probeStatus("liveness", "ok"), checkStatus("db", true, "ok"))},
			{"Drain", h.Drain, merge(probeStatus("readiness", "draining"), probeStatus("liveness", "ok"), probeStatus("startup", "ok"), checkStatus("db", true, "ok"))},
			{"Resume", h.Resume, merge(probeStatus("readiness", "ok"), probeStatus("liveness", "ok"), checkStatus("db", true, "ok"))},
			{"Close", func() { _ = h.Close() }, merge(probeStatus("readiness", "draining"), probeStatus("liveness", "ok"))},
		}
		for _, tt := range tests {
			tt.give()
			for _, d := range tel.collect(t).diff(tt.want) {
				t.Errorf("%s: %s", tt.name, d)
			}
		}
	})
}

// TestUnregister: once unregistered, the status and age series are gone,
// the counters and histogram keep their last values while the checks go
// on running, and no span is started. Unregister is idempotent.
func TestUnregister(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := testenv.NewHealth(t, core.WithCheck("db", &switchable{sleep: runTime}, core.Interval(time.Second), core.Jitter(0)))
		tel := newTelemetry(t)
		reg := tel.register(t, h)
		start := time.Now()
		if err := h.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Until(start.Add(time.Second)))
		synctest.Wait()
		for range 2 {
			if err := reg.Unregister(); err != nil {
				t.Fatalf("Unregister() = %v", err)
			}
		}
		time.Sleep(time.Until(start.Add(3 * time.Second)))
		synctest.Wait()

		if runs := h.Checks()[0].Runs; runs != 3 {
			t.Fatalf("Runs = %d; want 3 (the check goes on)", runs)
		}
		got := tel.collect(t)
		for _, d := range got.diff(counts("db", true, 1, 0, 0.125), ageSeries("db", true),
			series(otelprobe.MetricCheckStatus, append(checkAttrs("db", true), otelprobe.AttrCheckState.String("ok"))...),
			series(otelprobe.MetricProbeStatus, otelprobe.AttrProbeName.String("readiness"), otelprobe.AttrProbeState.String("ok")),
		) {
			t.Errorf("after Unregister: %s", d)
		}
		if n := len(tel.ended()); n != 1 {
			t.Errorf("%d spans; want 1, from the run before Unregister", n)
		}
	})
}

func TestRegisterErrors(t *testing.T) {
	t.Parallel()
	if _, err := otelprobe.Register(nil); !errors.Is(err, otelprobe.ErrNilHealth) {
		t.Errorf("Register(nil) error = %v; want ErrNilHealth", err)
	}
	h := testenv.NewHealth(t, core.WithCheck("db", &switchable{}))
	tel := newTelemetry(t)
	tel.register(t, h, nil) // a nil Option is ignored
	if got := tel.collect(t); len(got) == 0 {
		t.Error("Register(h, nil): nothing collected")
	}
}

// TestRegisterAfterStart: registered late, the counters catch up with
// core's counts at the next result, while the histogram and the spans see
// only the runs from registration on.
func TestRegisterAfterStart(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		db := &switchable{sleep: runTime}
		db.set(errors.New("connection refused"))
		h := testenv.NewHealth(t, core.WithCheck("db", db, core.Interval(time.Second), core.Jitter(0), core.MaxBackoff(time.Second)))
		start := time.Now()
		if err := h.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Until(start.Add(2 * time.Second))) // two runs, both failed
		synctest.Wait()
		tel := newTelemetry(t)
		tel.register(t, h)
		time.Sleep(time.Until(start.Add(3 * time.Second))) // a third
		synctest.Wait()

		a := checkAttrs("db", true)
		want := samples{
			series(otelprobe.MetricCheckRuns, a...):              3,
			series(otelprobe.MetricCheckFailures, a...):          3,
			series(otelprobe.MetricCheckDuration+".count", a...): 1,
		}
		for _, d := range tel.collect(t).diff(want) {
			t.Errorf("registered after two runs, one run later: %s", d)
		}
		if n := len(tel.ended()); n != 1 {
			t.Errorf("%d spans; want 1", n)
		}
	})
}
