package soak

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

// summarize renders the soak's figures: the settings, the schedule, a
// table per adapter and the flatness samples.
func summarize(p plan, targets []*target, sums []*stats, phases []span, elapsed time.Duration, start, end memSample, log []string) string {
	var b strings.Builder
	outages := 0
	for _, ph := range phases {
		if ph.down {
			outages++
		}
	}
	fmt.Fprintf(&b, "soak: %v of load, %d clients per adapter, Redis stopped/started every %v: %d outages\n",
		elapsed.Round(time.Millisecond), clients, p.period, outages)
	fmt.Fprintf(&b, "check: interval %v, timeout %v, failure threshold %d, jitter %v, max backoff %v\n",
		interval, timeout, threshold, jitter, maxBackoff)
	fmt.Fprintf(&b, "limit for a readiness 200 after a stop: %v (flip bound) + %v (margin) = %v\n", flipBound, margin, limit)
	fmt.Fprintf(&b, "schedule: %s\n", strings.Join(log, ", "))
	// Per outage, the worst over the adapters.
	for i, ph := range phases {
		if !ph.down {
			continue
		}
		var late, recovery time.Duration
		missing := 0 // adapters without a readiness 200 in the next up phase
		for _, s := range sums {
			late = max(late, s.phases[i].late)
			if i+1 < len(phases) {
				if r := s.phases[i+1].firstReady; r < 0 {
					missing++
				} else {
					recovery = max(recovery, r)
				}
			}
		}
		fmt.Fprintf(&b, "outage at +%.2fs: last readiness 200 sent %v after the stop", ph.start.Sub(phases[0].start).Seconds(), late.Round(time.Millisecond))
		switch {
		case i+1 == len(phases):
		case missing > 0:
			fmt.Fprintf(&b, ", no readiness 200 from %d adapters before the next stop", missing)
		default:
			fmt.Fprintf(&b, ", first 200 %v after the start", recovery.Round(time.Millisecond))
		}
		b.WriteString("\n")
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "adapter\trequests\treq/s\treadyz 200\treadyz 503\thealthz 200\tapp 200\terrors\tstop→last 200\tstart→first 200\t")
	var total stats
	total.phases = make([]phaseCount, len(sums[0].phases))
	for i, tg := range targets {
		s := sums[i]
		total.add(s)
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%d\t%d\t%d\t%d\t%d\t%v\t%v\t\n", tg.name, s.requests,
			float64(s.requests)/elapsed.Seconds(), s.answers[readyz][0], s.answers[readyz][1],
			s.answers[healthz][0], s.answers[appRoute][0], s.errors,
			s.late.Round(time.Millisecond), worstRecovery(s, phases).Round(time.Millisecond))
	}
	fmt.Fprintf(tw, "all\t%d\t%.0f\t%d\t%d\t%d\t%d\t%d\t\t\t\n", total.requests,
		float64(total.requests)/elapsed.Seconds(), total.answers[readyz][0], total.answers[readyz][1],
		total.answers[healthz][0], total.answers[appRoute][0], total.errors)
	_ = tw.Flush()
	fmt.Fprintf(&b, "stop→last 200: the latest after Stop returned that a request was sent and got a readiness 200 before the restart (limit %v)\n", limit)
	fmt.Fprintf(&b, "start→first 200: the longest from a restart call (redis-server start included) to the first readiness 200\n")
	fmt.Fprintf(&b, "heap: %.2f MiB at the start, %.2f MiB at the end (limit %d× + 1 MiB)\n",
		float64(start.heap)/(1<<20), float64(end.heap)/(1<<20), heapFactor)
	fmt.Fprintf(&b, "goroutines: %d at the start, %d at the end (limit +%d)\n", start.goroutines, end.goroutines, goroutineSlack)
	return b.String()
}

// worstRecovery returns the longest time from a restart to the first
// readiness 200 an adapter answered, over the up phases after an outage.
func worstRecovery(s *stats, phases []span) time.Duration {
	var worst time.Duration
	for i, ph := range phases {
		if i > 0 && !ph.down {
			worst = max(worst, s.phases[i].firstReady)
		}
	}
	return worst
}
