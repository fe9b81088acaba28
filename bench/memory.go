package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"time"

	"github.com/probekit/probekit/internal/benchkit"
)

// restRow is the memory a library holds at rest for n registered checks.
type restRow struct {
	Lib             string
	Checks          int
	HeapPerCheck    float64 // bytes of live heap per check
	StackPerCheck   float64 // bytes of goroutine stack per check
	GoroutinesAdded int
}

// runRow is what probekit's scheduler allocates per check run.
type runRow struct {
	Checks        int
	Runs          int64
	AllocsPerRun  float64
	BytesPerRun   float64
	CheckAllocs   float64 // the check's own allocations per run (0 here)
	ContextAllocs float64 // a context.WithTimeout on its own, for reference
}

// settle runs the garbage collector until the live heap stops shrinking,
// and returns the memory statistics.
func settle() runtime.MemStats {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m
}

// atRest measures the heap and goroutines that lib holds with n passing
// checks, started and ready, after its first results.
func atRest(c Contender, n int) (restRow, error) {
	before := settle()
	g0 := runtime.NumGoroutine()
	handler, path, stop, err := c.HTTP(quiet(n))
	if err != nil {
		return restRow{}, err
	}
	r := httptest.NewRequest(http.MethodGet, path, nil)
	w := benchkit.NewWriter()
	deadline := time.Now().Add(10 * time.Second)
	for w.Reset(); w.Code() != http.StatusOK; {
		if time.Now().After(deadline) {
			stop()
			return restRow{}, fmt.Errorf("%s with %d checks: not ready after 10s (%d)", c.Name, n, w.Code())
		}
		time.Sleep(time.Millisecond)
		w.Reset()
		handler.ServeHTTP(w, r)
	}
	after := settle()
	g1 := runtime.NumGoroutine()
	runtime.KeepAlive(handler)
	stop()
	return restRow{
		Lib:             c.Name,
		Checks:          n,
		HeapPerCheck:    float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n),
		StackPerCheck:   float64(int64(after.StackInuse)-int64(before.StackInuse)) / float64(n),
		GoroutinesAdded: g1 - g0,
	}, nil
}

// perRun measures what probekit allocates per check run with n checks
// running every 2 ms, over at least runs runs: every allocation in the
// process during that window, divided by the runs.
func perRun(n int, runs int64) (runRow, error) {
	deps := make([]*Dep, n)
	s := Setup{Interval: 2 * time.Millisecond, Timeout: time.Second}
	for i := range deps {
		deps[i] = NewDep(Pass)
		s.Checks = append(s.Checks, deps[i].Check)
	}
	h, err := StartedProbekit(s)
	if err != nil {
		return runRow{}, err
	}
	defer h.Close()
	count := func() (c int64) {
		for _, d := range deps {
			c += d.Calls()
		}
		return c
	}
	// Past the first runs (and the first renders of each probe).
	for count() < int64(3*n) {
		time.Sleep(time.Millisecond)
	}
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	c0 := count()
	for count()-c0 < runs {
		time.Sleep(10 * time.Millisecond)
	}
	runtime.ReadMemStats(&m1)
	c1 := count()
	done := float64(c1 - c0)
	ctxAllocs := testingAllocs(func() {
		_, cancel := context.WithTimeout(context.Background(), time.Second)
		cancel()
	})
	return runRow{
		Checks:        n,
		Runs:          c1 - c0,
		AllocsPerRun:  float64(m1.Mallocs-m0.Mallocs) / done,
		BytesPerRun:   float64(m1.TotalAlloc-m0.TotalAlloc) / done,
		ContextAllocs: ctxAllocs,
	}, nil
}

// testingAllocs is testing.AllocsPerRun without a test.
func testingAllocs(f func()) float64 {
	const n = 1000
	f()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for range n {
		f()
	}
	runtime.ReadMemStats(&m1)
	return float64(m1.Mallocs-m0.Mallocs) / n
}

// memory is scenario 6.
func memory(quick bool) ([]restRow, []runRow, error) {
	sizes := []int{1, 10, 100, 1000}
	runs := int64(2000)
	if quick {
		sizes, runs = []int{1, 100}, 200
	}
	var rest []restRow
	for _, c := range Contenders {
		if c.HTTP == nil {
			continue
		}
		for _, n := range sizes {
			r, err := atRest(c, n)
			if err != nil {
				return nil, nil, err
			}
			rest = append(rest, r)
		}
	}
	var perRuns []runRow
	for _, n := range []int{1, 3, 20} {
		r, err := perRun(n, runs)
		if err != nil {
			return nil, nil, err
		}
		perRuns = append(perRuns, r)
	}
	return rest, perRuns, nil
}

// RunMemory prints scenario 6.
func RunMemory(w io.Writer, quick bool) error {
	rest, runs, err := memory(quick)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "| library | checks | heap per check | stack per check | goroutines added |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	for _, r := range rest {
		fmt.Fprintf(w, "| %s | %d | %s | %s | %d |\n", r.Lib, r.Checks, bytes(r.HeapPerCheck), bytes(r.StackPerCheck), r.GoroutinesAdded)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| probekit, checks every 2 ms | runs | allocs per run | bytes per run |")
	fmt.Fprintln(w, "|---|---:|---:|---:|")
	for _, r := range runs {
		fmt.Fprintf(w, "| %d checks | %d | %.1f | %s |\n", r.Checks, r.Runs, r.AllocsPerRun, bytes(r.BytesPerRun))
	}
	if len(runs) > 0 {
		fmt.Fprintf(w, "\n(a context.WithTimeout alone, which every run needs for its deadline: %.0f allocs)\n", runs[0].ContextAllocs)
	}
	return nil
}

// bytes formats a byte count.
func bytes(b float64) string {
	switch {
	case b < 0:
		return "0 B"
	case b < 1024:
		return fmt.Sprintf("%.0f B", b)
	case b < 1024*1024:
		return fmt.Sprintf("%.1f KiB", b/1024)
	}
	return fmt.Sprintf("%.1f MiB", b/1024/1024)
}
