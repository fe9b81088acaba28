// Command bench compares probekit with a bare handler and with the health
// libraries a Go service would otherwise use, in six scenarios, and prints
// one Markdown table per scenario (docs/performance.md is one run of it):
//
//	cd bench && go run .                      # every scenario, about 4 minutes
//	cd bench && go run . -quick               # a smoke run, seconds
//	cd bench && go run . -only healthy,memory # some scenarios
//
// The in-process scenarios are also Go benchmarks, for benchstat:
//
//	cd bench && go test -run '^$' -bench . -count 10 | tee new.txt
//	benchstat -col /lib new.txt
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// scenario is one of the six measurements.
type scenario struct {
	name, title string
	run         func(w io.Writer, o options) error
}

type options struct {
	quick bool
	count int // rounds of each in-process benchmark; the median is shown
}

var scenarios = []scenario{
	{"healthy", "1. Healthy probe, 3 and 20 checks", func(w io.Writer, o options) error { return RunHealthy(w, o.count, o.quick) }},
	{"hung", "2. Hung dependency", func(w io.Writer, o options) error { return RunHung(w, o.quick) }},
	{"storm", "3. Probe storm", func(w io.Writer, o options) error { return RunStorm(w, o.quick) }},
	{"flap", "4. Flapping dependency", func(w io.Writer, o options) error { return RunFlap(w, o.quick) }},
	{"nonprobe", "5. Non-probe request overhead", func(w io.Writer, o options) error { return RunNonProbe(w, o.count, o.quick) }},
	{"memory", "6. Memory", func(w io.Writer, o options) error { return RunMemory(w, o.quick) }},
}

func main() {
	var (
		quick = flag.Bool("quick", false, "smoke run: every duration and count cut to the minimum")
		only  = flag.String("only", "", "comma-separated scenarios to run (healthy, hung, storm, flap, nonprobe, memory); default all")
		count = flag.Int("count", 3, "rounds of each in-process benchmark; the table shows the median")
	)
	flag.Parse()
	if err := run(os.Stdout, *only, options{quick: *quick, count: *count}); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, only string, o options) error {
	want := map[string]bool{}
	for _, s := range strings.Split(only, ",") {
		if s = strings.TrimSpace(s); s != "" {
			want[s] = true
		}
	}
	for name := range want {
		if !slices.ContainsFunc(scenarios, func(s scenario) bool { return s.name == name }) {
			return fmt.Errorf("unknown scenario %q", name)
		}
	}
	if o.count < 1 {
		o.count = 1
	}
	fmt.Fprintf(w, "probekit bench: %s, %s/%s, %d CPUs, GOMAXPROCS %d, %s\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), cpuModel())
	if o.quick {
		fmt.Fprintln(w, "quick mode: a smoke run, not figures to quote")
	}
	for _, s := range scenarios {
		if len(want) > 0 && !want[s.name] {
			continue
		}
		fmt.Fprintf(w, "\n## %s\n\n", s.title)
		start := time.Now()
		if err := s.run(w, o); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		fmt.Fprintf(w, "\n(%s took %v)\n", s.name, time.Since(start).Round(100*time.Millisecond))
	}
	return nil
}

// cpuModel is the processor's name from /proc/cpuinfo, if there is one.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
