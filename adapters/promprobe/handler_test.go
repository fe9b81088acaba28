package promprobe_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/probekit/probekit/adapters/promprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// serveMetrics serves promprobe.Handler(h, opts...) at /metrics on a real
// loopback listener, closed when the test ends, and returns its URL and a
// client for it.
func serveMetrics(t *testing.T, h *core.Health, opts ...promprobe.Option) (string, *http.Client) {
	t.Helper()
	metrics, err := promprobe.Handler(h, opts...)
	if err != nil {
		t.Fatalf("Handler() error = %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/metrics", srv.Client()
}

// TestHandlerScrapeWhileCheckHangs scrapes over HTTP while a check's run
// blocks on a channel, ignoring its context, with an hour's timeout: the
// scrape answers with the last recorded state instead of waiting.
func TestHandlerScrapeWhileCheckHangs(t *testing.T) {
	t.Parallel()
	release, entered := make(chan struct{}), make(chan struct{})
	runs := 0 // only the check's runs touch it, one at a time
	hung := core.CheckerFunc(func(context.Context) error {
		runs++
		if runs == 2 {
			close(entered)
			<-release
		}
		return nil
	})
	h := testenv.NewHealth(t, core.WithCheck("hung", hung, core.Interval(10*time.Millisecond), core.Timeout(time.Hour)))
	t.Cleanup(func() { close(release) }) // before the Health's Close
	url, client := serveMetrics(t, h)
	if err := h.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	<-entered // the second run has started and hangs

	got := scrape(t, client, url)
	want := merge(checkStatus("hung", "ok"), probeStatus("readiness", "ok"), samples{
		series("probekit_check_runs_total", "check", "hung"):     1,
		series("probekit_check_failures_total", "check", "hung"): 0,
	})
	for _, d := range got.diff(want) {
		t.Error(d)
	}
	if _, ok := got[ageSeries("hung")]; !ok {
		t.Errorf("%s missing; want the time since the first run's pass", ageSeries("hung"))
	}
}

// TestHandlerFollowsHealth scrapes a real promhttp handler over a loopback
// listener as a check flips, and checks that histogram counts equal runs
// once the Health is closed (every result delivered).
func TestHandlerFollowsHealth(t *testing.T) {
	t.Parallel()
	db := &switchable{}
	h := testenv.NewHealth(t, core.WithCheck("db", db, core.Interval(5*time.Millisecond), core.FailureThreshold(1)))
	url, client := serveMetrics(t, h)

	for _, d := range scrape(t, client, url).diff(merge(checkStatus("db", "starting"), probeStatus("readiness", "starting")), ageSeries("db")) {
		t.Errorf("before Start: %s", d)
	}
	if err := h.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		give error
		want samples
	}{
		{name: "passing", want: merge(checkStatus("db", "ok"), probeStatus("readiness", "ok"))},
		{name: "failing", give: errors.New("down"), want: merge(checkStatus("db", "unhealthy"), probeStatus("readiness", "unhealthy"))},
		{name: "degraded", give: core.Warn(errors.New("slow")), want: merge(checkStatus("db", "degraded"), probeStatus("readiness", "degraded"))},
		{name: "passing again", want: merge(checkStatus("db", "ok"), probeStatus("readiness", "ok"))},
	}
	for _, tt := range tests {
		db.set(tt.give)
		testenv.Eventually(t, 10*time.Second, func() error {
			if d := scrape(t, client, url).diff(tt.want); len(d) > 0 {
				return fmt.Errorf("%s: %s", tt.name, strings.Join(d, "; "))
			}
			return nil
		})
	}

	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	got := scrape(t, client, url)
	runs := got[series("probekit_check_runs_total", "check", "db")]
	if runs < 4 {
		t.Errorf("runs_total = %v; want at least 4", runs)
	}
	want := merge(probeStatus("readiness", "draining"), samples{series("probekit_check_duration_seconds_count", "check", "db"): runs})
	for _, d := range got.diff(want) {
		t.Errorf("after Close: %s", d)
	}
}

func TestRegister(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t, core.WithCheck("db", &switchable{}))
	reg := prometheus.NewRegistry()
	c, err := promprobe.Register(reg, h)
	if err != nil {
		t.Fatalf("Register() = %v; want nil", err)
	}
	t.Cleanup(c.Close)

	var already prometheus.AlreadyRegisteredError
	if _, err := promprobe.Register(reg, h); !errors.As(err, &already) {
		t.Errorf("Register() twice = %v; want an AlreadyRegisteredError", err)
	}
	// A different namespace makes different metrics: no conflict.
	c2, err := promprobe.Register(reg, h, promprobe.WithNamespace("other"))
	if err != nil {
		t.Errorf("Register(WithNamespace(other)) = %v; want nil", err)
	} else {
		c2.Close()
	}
}

func TestRegisterErrors(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	tests := []struct {
		name    string
		give    func() error
		wantErr error
	}{
		{name: "nil registerer", give: func() error { _, err := promprobe.Register(nil, h); return err }, wantErr: promprobe.ErrNilRegisterer},
		{name: "nil health", give: func() error { _, err := promprobe.Register(prometheus.NewRegistry(), nil); return err }, wantErr: promprobe.ErrNilHealth},
		{name: "handler nil health", give: func() error { _, err := promprobe.Handler(nil); return err }, wantErr: promprobe.ErrNilHealth},
		{name: "handler bad option", give: func() error { _, err := promprobe.Handler(h, promprobe.WithNamespace("a-b")); return err }, wantErr: promprobe.ErrInvalidOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tt.give(); !errors.Is(err, tt.wantErr) {
				t.Errorf("%s = %v; want %v", tt.name, err, tt.wantErr)
			}
		})
	}
}

// TestHandlerLeavesDefaultRegistryAlone: Handler uses a registry of its
// own; nothing appears on the global default one.
func TestHandlerLeavesDefaultRegistryAlone(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t, core.WithCheck("db", &switchable{}))
	if _, err := promprobe.Handler(h); err != nil {
		t.Fatal(err)
	}
	mfs, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if strings.HasPrefix(mf.GetName(), "probekit_") {
			t.Errorf("DefaultGatherer has %s; want no probekit metric there", mf.GetName())
		}
	}
}

// TestHandlerContentNegotiation: the handler is promhttp's, so it speaks
// the formats a Prometheus server asks for (the text format, and protobuf
// as Prometheus asks for when native histograms are on), and compresses
// on request.
func TestHandlerContentNegotiation(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t, core.WithCheck("db", &switchable{}))
	metrics, err := promprobe.Handler(h)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		giveAccept string
		giveEnc    string
		wantType   string
		wantEnc    string
	}{
		{name: "text", wantType: "text/plain; version=0.0.4"},
		{
			name:       "protobuf",
			giveAccept: "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
			wantType:   "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited",
		},
		{name: "gzip", giveEnc: "gzip", wantType: "text/plain; version=0.0.4", wantEnc: "gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			if tt.giveAccept != "" {
				r.Header.Set("Accept", tt.giveAccept)
			}
			if tt.giveEnc != "" {
				r.Header.Set("Accept-Encoding", tt.giveEnc)
			}
			w := httptest.NewRecorder()
			metrics.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				t.Fatalf("GET /metrics = %d; want 200", w.Code)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.wantType) {
				t.Errorf("Content-Type = %q; want %q…", ct, tt.wantType)
			}
			if enc := w.Header().Get("Content-Encoding"); enc != tt.wantEnc {
				t.Errorf("Content-Encoding = %q; want %q", enc, tt.wantEnc)
			}
		})
	}
}
