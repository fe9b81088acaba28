package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The fault scenarios: how each contender answers its readiness probe when
// a dependency hangs (RunHung), when probes arrive far more often than the
// checks should run (RunStorm), and when a dependency fails every other
// call (RunFlap). Each runs the contenders one at a time, each with fresh
// dependencies and stopped before the next starts, and prints a Markdown
// table. quick cuts every duration and count for a CI smoke run.

// Hung-dependency scenario parameters.
const (
	hungInterval        = 200 * time.Millisecond
	hungTimeout         = 200 * time.Millisecond
	hungPace            = 10 * time.Millisecond // one probe every hungPace
	hungProbes          = 200
	hungProbesQuick     = 20
	faultReadyDeadline  = 5 * time.Second
	faultSettleDeadline = 2 * time.Second // for the goroutine count after stop
)

// Probe-storm scenario parameters.
const (
	stormInterval  = 10 * time.Second
	stormTimeout   = time.Second
	stormWorkers   = 8
	stormDuration  = 2 * time.Second
	stormDurQuick  = 200 * time.Millisecond
	stormDepChecks = 3
)

// Flapping-dependency scenario parameters.
const (
	flapInterval  = 20 * time.Millisecond
	flapTimeout   = 100 * time.Millisecond
	flapPace      = 2 * time.Millisecond
	flapDuration  = 2 * time.Second
	flapDurQuick  = 200 * time.Millisecond
	flapThreshold = 3
)

// hungRow is one contender's result in the hung-dependency scenario.
type hungRow struct {
	Name string
	// Probes is how many probes were sent; OK, Unavailable, Other and
	// NoAnswer split them by answer (NoAnswer: none within the client's
	// 2 s timeout).
	Probes, OK, Unavailable, Other, NoAnswer int
	// First503 is the time from the dependency hanging to the arrival of
	// the first 503 answer; negative when none came.
	First503 time.Duration
	// Latency percentiles over all probes; a probe with no answer counts
	// with the time it waited (the client's timeout).
	P50, P99, Max time.Duration
	// Goroutine counts: once ready (before the hang), once every probe had
	// its answer or timed out (dependency still hung), and after the
	// dependency's release and the contender's stop.
	GoroutinesBefore, GoroutinesDuring, GoroutinesAfter int
	// Stuck is how many goroutines were inside the hung dependency's
	// check at the "during" count.
	Stuck int
}

// stormRow is one contender's result in the probe-storm scenario.
type stormRow struct {
	Name     string
	Probes   int64
	Elapsed  time.Duration
	DepCalls int64 // dependency calls during the storm, all checks
	NonOK    int64 // answers other than 200, including no answer
}

// PerSecond is the probe throughput.
func (r stormRow) PerSecond() float64 { return float64(r.Probes) / r.Elapsed.Seconds() }

// CallsPer1000 is how many dependency calls 1000 probes caused.
func (r stormRow) CallsPer1000() float64 {
	if r.Probes == 0 {
		return 0
	}
	return float64(r.DepCalls) * 1000 / float64(r.Probes)
}

// flapRow is one contender/threshold result in the flapping scenario.
type flapRow struct {
	Name      string // the contender's Name
	Label     string // the row's label, naming the threshold option if set
	Threshold int    // Setup.Threshold: 0 is the library's default
	Desc      string // what the threshold column shows
	Probes    int
	// Unavailable counts 503 answers; Other counts any other non-200
	// answer, including no answer.
	Unavailable, Other int
	DepCalls           int64 // dependency calls while probing
}

// PercentUnavailable is the share of probes answered 503.
func (r flapRow) PercentUnavailable() float64 {
	if r.Probes == 0 {
		return 0
	}
	return 100 * float64(r.Unavailable) / float64(r.Probes)
}

// RunHung measures each contender while one of its three dependencies
// hangs, and prints the table to w.
func RunHung(w io.Writer, quick bool) error {
	rows, err := hung(quick)
	if err != nil {
		return err
	}
	return writeHung(w, rows)
}

// writeHung prints the hung-dependency table.
func writeHung(w io.Writer, rows []hungRow) error {
	n := 0
	if len(rows) > 0 {
		n = rows[0].Probes
	}
	var b strings.Builder
	fmt.Fprintln(&b, "| library | 200s | 503s | no answer in 2 s | first 503 after (since hang) | p50 | p99 | max latency | goroutines before / during / after | in hung check (during) |")
	fmt.Fprintln(&b, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		first := "never"
		if r.First503 >= 0 {
			first = faultDur(r.First503)
		}
		noAnswer := fmt.Sprint(r.NoAnswer)
		if r.Other > 0 {
			noAnswer += fmt.Sprintf(" (+%d other)", r.Other)
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %s | %s | %s | %d / %d / %d | %d |\n",
			r.Name, r.OK, r.Unavailable, noAnswer, first, faultDur(r.P50), faultDur(r.P99), faultDur(r.Max),
			r.GoroutinesBefore, r.GoroutinesDuring, r.GoroutinesAfter, r.Stuck)
	}
	fmt.Fprintf(&b, "\n%d probes, one every %v, each on its own goroutine; 3 checks, dep-0 hangs from the first probe on; interval %v, timeout %v, library-default threshold. "+
		"First 503: from the hang to the arrival of the first 503 answer. "+
		"Latency is over all probes; a probe with no answer counts as the 2 s it waited. "+
		"Goroutines: process-wide, once ready / once every probe had its answer or timed out (dependency still hung, prober's idle connections closed) / after release and stop. "+
		"\"In hung check\": goroutines inside the hung dependency's call at the \"during\" count.\n",
		n, hungPace, hungInterval, hungTimeout)
	_, err := io.WriteString(w, b.String())
	return err
}

// RunStorm measures the dependency calls each contender makes while
// probes arrive as fast as 8 clients can send them, and prints the table.
func RunStorm(w io.Writer, quick bool) error {
	rows, err := storm(quick)
	if err != nil {
		return err
	}
	return writeStorm(w, rows, quick)
}

// writeStorm prints the probe-storm table.
func writeStorm(w io.Writer, rows []stormRow, quick bool) error {
	d := stormDuration
	if quick {
		d = stormDurQuick
	}
	var b strings.Builder
	fmt.Fprintln(&b, "| library | probes | probes/s | dependency calls | calls per 1000 probes | non-200 answers |")
	fmt.Fprintln(&b, "|---|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %d | %.0f | %d | %.0f | %d |\n",
			r.Name, r.Probes, r.PerSecond(), r.DepCalls, r.CallsPer1000(), r.NonOK)
	}
	fmt.Fprintf(&b, "\n%d clients probing back to back over loopback for %v; %d passing checks, interval %v, timeout %v. "+
		"Dependency calls are counted from just before the storm to its end.\n",
		stormWorkers, d, stormDepChecks, stormInterval, stormTimeout)
	_, err := io.WriteString(w, b.String())
	return err
}

// RunFlap measures how often each contender answers 503 while its one
// dependency fails every other call, with the library's default threshold
// and, where it has one, a threshold of 3; it prints the table.
func RunFlap(w io.Writer, quick bool) error {
	rows, err := flap(quick)
	if err != nil {
		return err
	}
	return writeFlap(w, rows, quick)
}

// writeFlap prints the flapping-dependency table.
func writeFlap(w io.Writer, rows []flapRow, quick bool) error {
	d := flapDuration
	if quick {
		d = flapDurQuick
	}
	var b strings.Builder
	fmt.Fprintln(&b, "| library | threshold | probes | 503s | % answered 503 | dependency calls |")
	fmt.Fprintln(&b, "|---|---|---:|---:|---:|---:|")
	var other []string
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %.1f %% | %d |\n",
			r.Label, r.Desc, r.Probes, r.Unavailable, r.PercentUnavailable(), r.DepCalls)
		if r.Other > 0 {
			other = append(other, fmt.Sprintf("%s: %d", r.Label, r.Other))
		}
	}
	fmt.Fprintf(&b, "\nOne check whose dependency fails every other call; interval %v, timeout %v; one prober, one probe every %v (back to back when a probe takes longer) for %v. "+
		"Dependency calls are counted while probing.\n",
		flapInterval, flapTimeout, flapPace, d)
	if len(other) > 0 {
		fmt.Fprintf(&b, "Answers other than 200 or 503 (or none): %s.\n", strings.Join(other, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// hung runs the hung-dependency scenario on every contender.
func hung(quick bool) ([]hungRow, error) {
	n := hungProbes
	if quick {
		n = hungProbesQuick
	}
	rows := make([]hungRow, 0, len(Contenders))
	for _, c := range Contenders {
		r, err := hungOne(c, n)
		if err != nil {
			return nil, fmt.Errorf("hung: %s: %w", c.Name, err)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

type hungProbe struct {
	sent    time.Duration // since the hang
	latency time.Duration
	code    int
}

func hungOne(c Contender, n int) (hungRow, error) {
	r := hungRow{Name: c.Name, Probes: n, First503: -1}
	deps := faultDeps(3, Pass)
	released := false
	release := func() {
		if !released {
			released = true
			deps[0].Release()
		}
	}
	defer release()

	base := runtime.NumGoroutine()
	url, stop, err := c.Start(Setup{Checks: depChecks(deps), Interval: hungInterval, Timeout: hungTimeout})
	if err != nil {
		return r, err
	}
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()
	cl := Client()
	defer cl.CloseIdleConnections()
	if err := WaitReady(cl, url, faultReadyDeadline); err != nil {
		return r, err
	}
	r.GoroutinesBefore = runtime.NumGoroutine()

	results := make([]hungProbe, n)
	var wg sync.WaitGroup
	hungAt := time.Now()
	deps[0].Set(Hang)
	tick := time.NewTicker(hungPace)
	for i := range n {
		if i > 0 {
			<-tick.C
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sent := time.Now()
			code := Probe(cl, url)
			results[i] = hungProbe{sent: sent.Sub(hungAt), latency: time.Since(sent), code: code}
		}()
	}
	tick.Stop()
	wg.Wait()

	// Goroutines while the dependency is still hung: the prober's idle
	// connections are closed first, so that what remains is the server's
	// and the library's.
	cl.CloseIdleConnections()
	r.GoroutinesDuring = settleGoroutines(-1, 30*time.Millisecond, 500*time.Millisecond)
	r.Stuck = goroutinesIn("(*Dep).Check(")

	release()
	stop()
	stopped = true
	cl.CloseIdleConnections()
	r.GoroutinesAfter = settleGoroutines(base, 100*time.Millisecond, faultSettleDeadline)

	lat := make([]time.Duration, n)
	for i, p := range results {
		lat[i] = p.latency
		switch p.code {
		case http.StatusOK:
			r.OK++
		case http.StatusServiceUnavailable:
			r.Unavailable++
			if at := p.sent + p.latency; r.First503 < 0 || at < r.First503 {
				r.First503 = at
			}
		case 0:
			r.NoAnswer++
		default:
			r.Other++
		}
	}
	slices.Sort(lat)
	r.P50, r.P99, r.Max = faultPercentile(lat, 0.50), faultPercentile(lat, 0.99), lat[n-1]
	return r, nil
}

// storm runs the probe-storm scenario on every contender.
func storm(quick bool) ([]stormRow, error) {
	d := stormDuration
	if quick {
		d = stormDurQuick
	}
	rows := make([]stormRow, 0, len(Contenders))
	for _, c := range Contenders {
		r, err := stormOne(c, d)
		if err != nil {
			return nil, fmt.Errorf("storm: %s: %w", c.Name, err)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func stormOne(c Contender, d time.Duration) (stormRow, error) {
	r := stormRow{Name: c.Name}
	deps := faultDeps(stormDepChecks, Pass)
	url, stop, err := c.Start(Setup{Checks: depChecks(deps), Interval: stormInterval, Timeout: stormTimeout})
	if err != nil {
		return r, err
	}
	defer stop()
	cl := Client()
	defer cl.CloseIdleConnections()
	if err := WaitReady(cl, url, faultReadyDeadline); err != nil {
		return r, err
	}

	baseline := sumCalls(deps)
	var probes, nonOK atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(d)
	for range stormWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				if Probe(cl, url) != http.StatusOK {
					nonOK.Add(1)
				}
				probes.Add(1)
			}
		}()
	}
	wg.Wait()
	r.Elapsed = time.Since(start)
	r.DepCalls = sumCalls(deps) - baseline
	r.Probes, r.NonOK = probes.Load(), nonOK.Load()
	return r, nil
}

// flap runs the flapping-dependency scenario on every contender: once
// with the library's default threshold and, where it has the option, once
// with a threshold of 3.
func flap(quick bool) ([]flapRow, error) {
	d := flapDuration
	if quick {
		d = flapDurQuick
	}
	var rows []flapRow
	for _, c := range Contenders {
		thresholds := []int{0}
		if c.HasThreshold {
			thresholds = append(thresholds, flapThreshold)
		}
		for _, th := range thresholds {
			r, err := flapOne(c, th, d)
			if err != nil {
				return nil, fmt.Errorf("flap: %s (threshold %d): %w", c.Name, th, err)
			}
			rows = append(rows, r)
		}
	}
	return rows, nil
}

func flapOne(c Contender, threshold int, d time.Duration) (flapRow, error) {
	r := flapRow{Name: c.Name, Threshold: threshold}
	r.Label, r.Desc = thresholdLabel(c, threshold)
	dep := NewDep(Pass)
	url, stop, err := c.Start(Setup{
		Checks:    []func(context.Context) error{dep.Check},
		Interval:  flapInterval,
		Timeout:   flapTimeout,
		Threshold: threshold,
	})
	if err != nil {
		return r, err
	}
	defer stop()
	cl := Client()
	defer cl.CloseIdleConnections()
	if err := WaitReady(cl, url, faultReadyDeadline); err != nil {
		return r, err
	}

	baseline := dep.Calls()
	dep.Set(Flap)
	tick := time.NewTicker(flapPace)
	defer tick.Stop()
	for end := time.Now().Add(d); time.Now().Before(end); <-tick.C {
		switch Probe(cl, url) {
		case http.StatusOK:
		case http.StatusServiceUnavailable:
			r.Unavailable++
		default:
			r.Other++
		}
		r.Probes++
	}
	r.DepCalls = dep.Calls() - baseline
	return r, nil
}

// thresholdLabel names a flapping-scenario row and describes its
// threshold.
func thresholdLabel(c Contender, threshold int) (label, desc string) {
	var option, deflt string
	switch {
	case strings.HasPrefix(c.Name, "probekit"):
		option = "FailureThreshold"
		deflt = fmt.Sprintf("default (%d)", defaultFailureThreshold)
		if threshold == 0 {
			return fmt.Sprintf("%s (default: FailureThreshold=%d)", c.Name, defaultFailureThreshold), deflt
		}
	case c.Name == "alexliesenfeld":
		option = "MaxContiguousFails"
		deflt = "default (0: down on the first failure)"
	default:
		return c.Name, "none (no option)"
	}
	if threshold == 0 {
		return c.Name, deflt
	}
	return fmt.Sprintf("%s (%s=%d)", c.Name, option, threshold), fmt.Sprint(threshold)
}

func faultDeps(n int, mode int32) []*Dep {
	deps := make([]*Dep, n)
	for i := range deps {
		deps[i] = NewDep(mode)
	}
	return deps
}

func depChecks(deps []*Dep) []func(context.Context) error {
	fns := make([]func(context.Context) error, len(deps))
	for i, d := range deps {
		fns[i] = d.Check
	}
	return fns
}

func sumCalls(deps []*Dep) int64 {
	var n int64
	for _, d := range deps {
		n += d.Calls()
	}
	return n
}

// settleGoroutines polls runtime.NumGoroutine every 10 ms and returns it once it is
// at most target (a negative target never matches), once it has not
// changed for quiet, or at the deadline, whichever comes first.
func settleGoroutines(target int, quiet, deadline time.Duration) int {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	end := time.Now().Add(deadline)
	n := runtime.NumGoroutine()
	since := time.Now()
	for {
		if n <= target || time.Since(since) >= quiet || time.Now().After(end) {
			return n
		}
		<-tick.C
		if m := runtime.NumGoroutine(); m != n {
			n, since = m, time.Now()
		}
	}
}

// goroutinesIn counts the goroutines with fn (a substring of a stack
// frame's function, such as "(*Dep).Check(") on their stacks.
func goroutinesIn(fn string) int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		if strings.Contains(g, fn) {
			count++
		}
	}
	return count
}

// faultPercentile is the nearest-rank p-quantile of sorted.
func faultPercentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// faultDur prints d in µs below a millisecond, ms below a second, else s.
func faultDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
}

// defaultFailureThreshold is core's default FailureThreshold.
const defaultFailureThreshold = 3
