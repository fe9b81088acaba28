package promprobe_test

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/probekit/probekit/adapters/promprobe"
	"github.com/probekit/probekit/core"
)

// switchable is a checker whose outcome the test sets. Each run takes
// sleep (fake time under synctest), so that durations are exact.
type switchable struct {
	sleep time.Duration
	err   atomic.Pointer[error]
}

func (s *switchable) set(err error) {
	if err == nil {
		s.err.Store(nil)
		return
	}
	s.err.Store(&err)
}

func (s *switchable) Check(context.Context) error {
	time.Sleep(s.sleep)
	if p := s.err.Load(); p != nil {
		return *p
	}
	return nil
}

// newCollector returns promprobe.NewCollector(h, opts...), failing the test
// on an error, and closes it when the test ends.
func newCollector(t testing.TB, h *core.Health, opts ...promprobe.Option) *promprobe.Collector {
	t.Helper()
	c, err := promprobe.NewCollector(h, opts...)
	if err != nil {
		t.Fatalf("NewCollector() error = %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// samples are the values of a scrape by series: `name{label="value",…}`
// with the labels sorted by name. A histogram gives name_count, name_sum
// and name_bucket series.
type samples map[string]float64

// series returns the key of a series in samples; labels are name, value
// pairs in any order.
func series(name string, labels ...string) string {
	type pair struct{ k, v string }
	var ps []pair
	for i := 0; i+1 < len(labels); i += 2 {
		ps = append(ps, pair{labels[i], labels[i+1]})
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].k < ps[j].k })
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s=%q", p.k, p.v)
	}
	b.WriteByte('}')
	return b.String()
}

func flatten(mfs []*dto.MetricFamily) samples {
	out := samples{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, lp := range m.GetLabel() {
				labels = append(labels, lp.GetName(), lp.GetValue())
			}
			name := mf.GetName()
			switch mf.GetType() {
			case dto.MetricType_COUNTER:
				out[series(name, labels...)] = m.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				out[series(name, labels...)] = m.GetGauge().GetValue()
			case dto.MetricType_HISTOGRAM:
				hg := m.GetHistogram()
				out[series(name+"_count", labels...)] = float64(hg.GetSampleCount())
				out[series(name+"_sum", labels...)] = hg.GetSampleSum()
				for _, bk := range hg.GetBucket() {
					le := fmt.Sprint(bk.GetUpperBound())
					out[series(name+"_bucket", append(slices.Clone(labels), "le", le)...)] = float64(bk.GetCumulativeCount())
				}
			default:
				out[series(name, labels...)] = m.GetUntyped().GetValue()
			}
		}
	}
	return out
}

// collect scrapes c through a pedantic registry, which also checks that
// every metric matches its description.
func collect(t testing.TB, c prometheus.Collector) samples {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(c); err != nil {
		t.Fatalf("Register() = %v", err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("Gather() = %v", err)
	}
	return flatten(mfs)
}

// scrape GETs url, checks that it answers 200 in the text format, and
// parses the body with expfmt.
func scrape(t testing.TB, client *http.Client, url string) samples {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a hang guard, not a speed assertion
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s = %d %s; want 200", url, resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("GET %s Content-Type = %q; want the text format", url, ct)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	byName, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse GET %s: %v", url, err)
	}
	var mfs []*dto.MetricFamily
	for _, mf := range byName {
		mfs = append(mfs, mf)
	}
	return flatten(mfs)
}

// diff returns how got differs from want (a subset of the series) and
// from absent (series that must not be there), one line per difference.
func (got samples) diff(want samples, absent ...string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[k]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s missing; want %v", k, want[k]))
		case g != want[k]:
			out = append(out, fmt.Sprintf("%s = %v; want %v", k, g, want[k]))
		}
	}
	for _, k := range absent {
		if g, ok := got[k]; ok {
			out = append(out, fmt.Sprintf("%s = %v; want it absent", k, g))
		}
	}
	return out
}

// checkStatus returns the check_status series of check, with 1 for state
// and 0 for the others.
func checkStatus(check, state string) samples {
	out := samples{}
	for _, s := range []string{"starting", "ok", "degraded", "unhealthy"} {
		out[series("probekit_check_status", "check", check, "state", s)] = b2f(s == state)
	}
	return out
}

// probeStatus is checkStatus for a probe's aggregate.
func probeStatus(probe, state string) samples {
	out := samples{}
	for _, s := range []string{"starting", "ok", "degraded", "unhealthy", "draining"} {
		out[series("probekit_probe_status", "probe", probe, "state", s)] = b2f(s == state)
	}
	return out
}

// checkCounts returns a check's run and failure counters, its histogram's
// count (which must equal runs) and sum.
func checkCounts(check string, runs, failures int, durationSum float64) samples {
	return samples{
		series("probekit_check_runs_total", "check", check):             float64(runs),
		series("probekit_check_failures_total", "check", check):         float64(failures),
		series("probekit_check_duration_seconds_count", "check", check): float64(runs),
		series("probekit_check_duration_seconds_sum", "check", check):   durationSum,
	}
}

func age(check string, seconds float64) samples {
	return samples{series("probekit_check_last_success_age_seconds", "check", check): seconds}
}

func ageSeries(check string) string {
	return series("probekit_check_last_success_age_seconds", "check", check)
}

// merge returns the union of ss.
func merge(ss ...samples) samples {
	out := samples{}
	for _, s := range ss {
		maps.Copy(out, s)
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// lint fails the test if promlint finds a problem with c's metrics.
func lint(t testing.TB, c prometheus.Collector) {
	t.Helper()
	problems, err := testutil.CollectAndLint(c)
	if err != nil {
		t.Fatalf("CollectAndLint() error = %v", err)
	}
	for _, p := range problems {
		t.Errorf("CollectAndLint(): %s: %s", p.Metric, p.Text)
	}
}
