package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"testing"
)

// result is one in-process benchmark's median over the rounds.
type result struct {
	Case
	Checks      int
	NsPerOp     float64
	BytesPerOp  int64
	AllocsPerOp int64
}

// measure runs every case rounds times, interleaved (round by round, so
// that drift in the machine touches every case alike), and returns each
// case's median. quick runs each benchmark for 1000 iterations instead of
// one second.
func measure(cases []Case, n, rounds int, quick bool) ([]result, error) {
	testing.Init()
	benchtime := "1s"
	if quick {
		benchtime = "1000x"
	}
	old := flag.Lookup("test.benchtime").Value.String()
	if err := flag.Set("test.benchtime", benchtime); err != nil {
		return nil, err
	}
	defer func() { _ = flag.Set("test.benchtime", old) }()
	runs := make([][]testing.BenchmarkResult, len(cases))
	for range rounds {
		for i, c := range cases {
			r := testing.Benchmark(c.Bench(n))
			if r.N == 0 {
				return nil, fmt.Errorf("%s: the benchmark failed (run go test -bench to see why)", c.Name(n))
			}
			runs[i] = append(runs[i], r)
		}
	}
	out := make([]result, len(cases))
	for i, rs := range runs {
		slices.SortFunc(rs, func(a, b testing.BenchmarkResult) int {
			return int(a.NsPerOp()) - int(b.NsPerOp())
		})
		m := rs[len(rs)/2]
		out[i] = result{
			Case:        cases[i],
			Checks:      n,
			NsPerOp:     float64(m.T.Nanoseconds()) / float64(m.N),
			BytesPerOp:  m.AllocedBytesPerOp(),
			AllocsPerOp: m.AllocsPerOp(),
		}
	}
	return out, nil
}

// floor returns the bare result on r's framework with r's checks.
func floor(rs []result, r result) (result, bool) {
	for _, b := range rs {
		if b.Framework == r.Framework && b.Checks == r.Checks && b.Lib == bare {
			return b, true
		}
	}
	return result{}, false
}

// healthy is scenario 1: every case with 3 and with 20 checks.
func healthy(rounds int, quick bool) ([]result, error) {
	var all []result
	for _, n := range []int{3, 20} {
		rs, err := measure(HealthyCases(), n, rounds, quick)
		if err != nil {
			return nil, err
		}
		all = append(all, rs...)
	}
	return all, nil
}

// RunHealthy prints scenario 1.
func RunHealthy(w io.Writer, rounds int, quick bool) error {
	rs, err := healthy(rounds, quick)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "| checks | framework | library | ns/op | × bare | B/op | allocs/op | allocs beyond bare |")
	fmt.Fprintln(w, "|---:|---|---|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		b, _ := floor(rs, r)
		fmt.Fprintf(w, "| %d | %s | %s | %s | %.2f× | %d | %d | %+d |\n",
			r.Checks, r.Framework, r.Lib, ns(r.NsPerOp), r.NsPerOp/b.NsPerOp, r.BytesPerOp, r.AllocsPerOp, r.AllocsPerOp-b.AllocsPerOp)
	}
	fmt.Fprintf(w, "\nIn process, one reusable ResponseWriter (net/http, Gin, Echo) or RequestCtx (Fiber); median of %d rounds. "+
		"× bare is against the bare handler of the same framework and number of checks, in the same run.\n", rounds)
	return nil
}

// nonProbe is scenario 5.
func nonProbe(rounds int, quick bool) ([]result, error) {
	return measure(NonProbeCases(), 0, rounds, quick)
}

// RunNonProbe prints scenario 5.
func RunNonProbe(w io.Writer, rounds int, quick bool) error {
	rs, err := nonProbe(rounds, quick)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "| framework | in front of the app | ns/op | added ns | B/op | allocs/op | added allocs |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		b, _ := floor(rs, r)
		fmt.Fprintf(w, "| %s | %s | %s | %+.1f | %d | %d | %+d |\n",
			r.Framework, r.Lib, ns(r.NsPerOp), r.NsPerOp-b.NsPerOp, r.BytesPerOp, r.AllocsPerOp, r.AllocsPerOp-b.AllocsPerOp)
	}
	fmt.Fprintf(w, "\nGET %s, a route of the app, in process; median of %d rounds. noop is an empty middleware registered "+
		"the way probekit's is: what the framework charges for any middleware.\n", apiPath, rounds)
	return nil
}

// ns formats nanoseconds.
func ns(v float64) string {
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f ns", v)
	case v < 1000:
		return fmt.Sprintf("%.1f ns", v)
	case v < 1e6:
		return fmt.Sprintf("%.2f µs", v/1e3)
	}
	return fmt.Sprintf("%.2f ms", v/1e6)
}
