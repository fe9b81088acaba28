package promprobe

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/probekit/probekit/core"
)

// Label names.
const (
	labelCheck = "check"
	labelState = "state"
	labelProbe = "probe"
)

// checkStates are the values of the state label of check_status: every
// status a check can be in.
var checkStates = [...]core.Status{core.StatusStarting, core.StatusHealthy, core.StatusDegraded, core.StatusUnhealthy}

// probeStates are the values of the state label of probe_status: a probe's
// aggregate can also be draining (readiness, during shutdown).
var probeStates = [...]core.Status{core.StatusStarting, core.StatusHealthy, core.StatusDegraded, core.StatusUnhealthy, core.StatusDraining}

// probes are the values of the probe label.
var probes = [...]core.Probe{core.Liveness, core.Readiness, core.Startup}

// descs describes every metric family but the duration histogram, which
// its HistogramVec describes.
type descs struct {
	checkStatus   *prometheus.Desc
	checkCritical *prometheus.Desc
	checkRuns     *prometheus.Desc
	checkFailures *prometheus.Desc
	checkAge      *prometheus.Desc
	probeStatus   *prometheus.Desc
}

func newDescs(cfg *config) (descs, error) {
	desc := func(subsystem, name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(cfg.namespace, subsystem, name), help, labels, cfg.constLabels)
	}
	d := descs{
		checkStatus: desc("check", "status",
			"Status of the health check: 1 for the state it is in, 0 for the others.", labelCheck, labelState),
		checkCritical: desc("check", "critical",
			"1 if the health check is critical (makes its probes unhealthy when failing), 0 if it only degrades them.", labelCheck),
		checkRuns: desc("check", "runs_total",
			"Results recorded for the health check, including runs reported failing because they outlived their timeout.", labelCheck),
		checkFailures: desc("check", "failures_total",
			"Failed results recorded for the health check.", labelCheck),
		checkAge: desc("check", "last_success_age_seconds",
			"Seconds since the health check last passed; absent until it has passed once.", labelCheck),
		probeStatus: desc("probe", "status",
			"Aggregate status of the probe: 1 for the state it is in, 0 for the others.", labelProbe, labelState),
	}
	for _, x := range []*prometheus.Desc{d.checkStatus, d.checkCritical, d.checkRuns, d.checkFailures, d.checkAge, d.probeStatus} {
		if err := x.Err(); err != nil {
			return descs{}, fmt.Errorf("%w: %w", ErrInvalidOption, err)
		}
	}
	return d, nil
}

func (d *descs) describe(ch chan<- *prometheus.Desc) {
	ch <- d.checkStatus
	ch <- d.checkCritical
	ch <- d.checkRuns
	ch <- d.checkFailures
	ch <- d.checkAge
	ch <- d.probeStatus
}

const durationHelp = "Duration of the health check's runs; a run that outlives its timeout is observed each time it is reported still running."
