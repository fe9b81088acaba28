// Package promprobe exports a [core.Health]'s state as Prometheus metrics,
// with github.com/prometheus/client_golang: each check's status, duration,
// runs and failures, and each probe's aggregate status.
//
// A scrape reads the Health's cached state, as a probe does: it never runs
// a check, never waits for one, and answers at once while a check hangs
// (with the last recorded state, and once the run outlives its timeout,
// with the failures core reports for it).
//
// # Serving /metrics
//
// [Handler] serves the metrics, and only those, from a registry of its
// own; mount it on the app's mux:
//
//	metrics, err := promprobe.Handler(h)
//	if err != nil {
//		return err
//	}
//	mux.Handle("GET /metrics", metrics)
//
// To serve them beside the app's other metrics, register a [Collector] with
// the app's registry instead, with [Register] (or [NewCollector] and
// reg.Register). Nothing is ever registered on
// [prometheus.DefaultRegisterer] unless it is the registry passed.
//
// To serve /metrics beside the probes on the probe server, mount the
// handler once the Health exists, before it starts:
//
//	metrics, err := promprobe.Handler(h)
//	if err != nil {
//		return err
//	}
//	if err := h.HandleOnProbeServer("/metrics", metrics); err != nil {
//		return err
//	}
//
// Make the collector before [core.Health.Start]: the duration histogram
// observes results from the moment it exists, while the run and failure
// counters are the Health's own since Start.
//
// # Metrics
//
// Names are under the namespace "probekit" ([WithNamespace]); every series
// also carries the labels given to [WithConstLabels]. The label check is
// the check's name, probe one of liveness, readiness, startup.
//
//	probekit_check_status{check, state}               gauge
//	probekit_check_critical{check}                    gauge
//	probekit_check_runs_total{check}                  counter
//	probekit_check_failures_total{check}              counter
//	probekit_check_duration_seconds{check}            histogram
//	probekit_check_last_success_age_seconds{check}    gauge
//	probekit_probe_status{probe, state}               gauge
//
// probekit_check_status has one series per state a check can be in:
// starting (no result yet), ok, degraded (passed with a [core.Warn]ing) and
// unhealthy; the series of the current state is 1 and the others 0, so a
// transition never makes a series appear or vanish.
//
// probekit_check_critical is 1 for a critical check (failing makes its
// probes unhealthy) and 0 for one that only makes them degraded; join on
// it to alert on critical checks only.
//
// probekit_check_runs_total and probekit_check_failures_total count every
// result and every failed one since [core.Health.Start], as
// [core.CheckState] Runs and Failures do. A run that outlives its timeout
// counts as a failed result each time core reports it still running.
//
// probekit_check_duration_seconds observes each run's duration (buckets
// from [WithBuckets], default 5ms to 10s); a run still running past its
// timeout is observed with the time it has run so far each time core
// reports it. Its count equals runs_total when the collector was made
// before Start, except if core had to drop results for a listener that
// fell behind, which it logs.
//
// probekit_check_last_success_age_seconds is the time from the check's last
// pass to the scrape. It is absent until the check has passed once, rather
// than NaN: NaN poisons every sum, avg and max it meets, and compares false
// like a missing series anyway, while an absent series is what
// absent(), "unless" and "or" are made for. Alert on a check that never
// passed with its status (unhealthy or starting) instead.
//
// probekit_probe_status is the aggregate status of each probe, with one
// series per state as for checks, plus draining (readiness during
// shutdown, and after [core.Health.Close]).
//
// # PromQL
//
// Readiness down (unhealthy, starting or draining: neither passing state
// is 1) for 5 minutes, as an alerting rule:
//
//	alert: NotReady
//	expr: sum by (job, instance) (probekit_probe_status{probe="readiness", state=~"ok|degraded"}) == 0
//	for: 5m
//
// A critical check failing:
//
//	probekit_check_status{state="unhealthy"} == 1
//	  and on (job, instance, check) probekit_check_critical == 1
//
// No pass for 10 minutes (a check that never passed has no age series; its
// status says unhealthy):
//
//	probekit_check_last_success_age_seconds > 600
//
// Failure ratio and 99th percentile duration per check over 5 minutes:
//
//	rate(probekit_check_failures_total[5m]) / rate(probekit_check_runs_total[5m])
//	histogram_quantile(0.99, sum by (check, le) (rate(probekit_check_duration_seconds_bucket[5m])))
package promprobe
