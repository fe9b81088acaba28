package promprobe_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/probekit/probekit/adapters/promprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

func TestNewCollectorErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		give    []promprobe.Option
		wantErr error // nil: NewCollector must succeed
	}{
		{name: "defaults"},
		{name: "nil option", give: []promprobe.Option{nil}},
		{name: "empty namespace", give: []promprobe.Option{promprobe.WithNamespace("")}},
		{name: "namespace with underscore", give: []promprobe.Option{promprobe.WithNamespace("my_app")}},
		{name: "namespace with dash", give: []promprobe.Option{promprobe.WithNamespace("my-app")}, wantErr: promprobe.ErrInvalidOption},
		{name: "namespace with colon", give: []promprobe.Option{promprobe.WithNamespace("a:b")}, wantErr: promprobe.ErrInvalidOption},
		{name: "namespace starting with digit", give: []promprobe.Option{promprobe.WithNamespace("9app")}, wantErr: promprobe.ErrInvalidOption},
		{name: "const labels", give: []promprobe.Option{promprobe.WithConstLabels(prometheus.Labels{"service": "checkout", "zone": ""})}},
		{name: "const label check", give: []promprobe.Option{promprobe.WithConstLabels(prometheus.Labels{"check": "x"})}, wantErr: promprobe.ErrInvalidOption},
		{name: "const label state", give: []promprobe.Option{promprobe.WithConstLabels(prometheus.Labels{"state": "x"})}, wantErr: promprobe.ErrInvalidOption},
		{name: "const label probe", give: []promprobe.Option{promprobe.WithConstLabels(prometheus.Labels{"probe": "x"})}, wantErr: promprobe.ErrInvalidOption},
		{name: "const label le", give: []promprobe.Option{promprobe.WithConstLabels(prometheus.Labels{"le": "x"})}, wantErr: promprobe.ErrInvalidOption},
		{name: "const label reserved", give: []promprobe.Option{promprobe.WithConstLabels(prometheus.Labels{"__name__": "x"})}, wantErr: promprobe.ErrInvalidOption},
		{name: "const label with dash", give: []promprobe.Option{promprobe.WithConstLabels(prometheus.Labels{"my-label": "x"})}, wantErr: promprobe.ErrInvalidOption},
		{name: "const label value not utf-8", give: []promprobe.Option{promprobe.WithConstLabels(prometheus.Labels{"service": "\xff"})}, wantErr: promprobe.ErrInvalidOption},
		{name: "buckets", give: []promprobe.Option{promprobe.WithBuckets(0.01, 0.1, 1, math.Inf(1))}},
		{name: "no buckets", give: []promprobe.Option{promprobe.WithBuckets()}},
		{name: "buckets decreasing", give: []promprobe.Option{promprobe.WithBuckets(1, 0.5)}, wantErr: promprobe.ErrInvalidOption},
		{name: "buckets repeated", give: []promprobe.Option{promprobe.WithBuckets(1, 1)}, wantErr: promprobe.ErrInvalidOption},
		{name: "bucket NaN", give: []promprobe.Option{promprobe.WithBuckets(math.NaN())}, wantErr: promprobe.ErrInvalidOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := testenv.NewHealth(t, core.WithCheck("db", core.CheckerFunc(func(context.Context) error { return nil })))
			c, err := promprobe.NewCollector(h, tt.give...)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("NewCollector() = %v; want nil", err)
				}
				defer c.Close()
				// The registry accepts what NewCollector accepted.
				if err := prometheus.NewPedanticRegistry().Register(c); err != nil {
					t.Errorf("Register() = %v; want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("NewCollector() = %v; want %v", err, tt.wantErr)
			}
			if c != nil {
				t.Errorf("NewCollector() = %v, %v; want nil collector", c, err)
			}
		})
	}
}

func TestNewCollectorNilHealth(t *testing.T) {
	t.Parallel()
	if _, err := promprobe.NewCollector(nil); !errors.Is(err, promprobe.ErrNilHealth) {
		t.Errorf("NewCollector(nil) = %v; want ErrNilHealth", err)
	}
}

// TestNamespaceAndConstLabels: the namespace prefixes every family, the
// const labels are on every series, and the result lints clean.
func TestNamespaceAndConstLabels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		give       []promprobe.Option
		wantPrefix string
		wantLabels prometheus.Labels
	}{
		{name: "default", wantPrefix: "probekit_"},
		{name: "own namespace", give: []promprobe.Option{promprobe.WithNamespace("shop")}, wantPrefix: "shop_"},
		{name: "no namespace", give: []promprobe.Option{promprobe.WithNamespace("")}, wantPrefix: ""},
		{
			name: "const labels",
			give: []promprobe.Option{
				promprobe.WithConstLabels(prometheus.Labels{"service": "cart", "zone": "a"}),
				promprobe.WithConstLabels(prometheus.Labels{"zone": "b"}), // later wins
			},
			wantPrefix: "probekit_",
			wantLabels: prometheus.Labels{"service": "cart", "zone": "b"},
		},
	}
	families := []string{"check_status", "check_critical", "check_runs_total", "check_failures_total", "check_duration_seconds", "probe_status"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := testenv.NewHealth(t, core.WithCheck("db", core.CheckerFunc(func(context.Context) error { return nil })))
			c := newCollector(t, h, tt.give...)
			reg := prometheus.NewPedanticRegistry()
			reg.MustRegister(c)
			mfs, err := reg.Gather()
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, mf := range mfs {
				got[mf.GetName()] = true
				for _, m := range mf.GetMetric() {
					labels := prometheus.Labels{}
					for _, lp := range m.GetLabel() {
						labels[lp.GetName()] = lp.GetValue()
					}
					for k, v := range tt.wantLabels {
						if labels[k] != v {
							t.Errorf("%s%v: label %s = %q; want %q", mf.GetName(), labels, k, labels[k], v)
						}
					}
				}
			}
			for _, f := range families {
				if !got[tt.wantPrefix+f] {
					t.Errorf("Gather() has no family %s%s; got %v", tt.wantPrefix, f, got)
				}
			}
			if len(got) != len(families) {
				t.Errorf("Gather() = %d families %v; want %d", len(got), got, len(families))
			}
			lint(t, c)
			if n := testutil.CollectAndCount(c, tt.wantPrefix+"check_status"); n != 4 {
				t.Errorf("CollectAndCount(%scheck_status) = %d; want 4 (one per state)", tt.wantPrefix, n)
			}
		})
	}
}
