package syscheck_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/syscheck"
)

// Register the checkers with the probes they belong to: goroutines (a
// leak only a restart clears) for liveness too, the others for readiness.
func Example() {
	mem, err := syscheck.Memory(syscheck.MemoryConfig{})
	if err != nil {
		panic(err)
	}
	disk, err := syscheck.Disk(os.TempDir(), syscheck.DiskConfig{CriticalFreeBytes: 100 << 20})
	if err != nil {
		panic(err)
	}
	gor, err := syscheck.Goroutines(syscheck.GoroutinesConfig{Warn: 5000, Critical: 50000})
	if err != nil {
		panic(err)
	}
	cpu, err := syscheck.CPU(syscheck.CPUConfig{})
	if err != nil {
		panic(err)
	}
	h, err := core.New(
		core.WithCheck("goroutines", gor, core.ForProbes(core.Liveness|core.Readiness)),
		core.WithCheck("memory", mem),
		core.WithCheck("disk", disk, core.Interval(30*time.Second)),
		core.WithCheck("cpu", cpu, core.Critical(false)),
	)
	if err != nil {
		panic(err)
	}
	defer h.Close()
	for _, st := range h.Checks() {
		fmt.Println(st.Name, st.Probes)
	}
	// Output:
	// goroutines liveness|readiness
	// memory readiness
	// disk readiness
	// cpu readiness
}

func ExampleGoroutines() {
	chk, err := syscheck.Goroutines(syscheck.GoroutinesConfig{Warn: 10_000, Critical: 100_000})
	if err != nil {
		panic(err)
	}
	fmt.Println("check:", chk.Check(context.Background()))
	// Output: check: <nil>
}

// A MemoryChecker measuring a cgroup's working set against its limit,
// here a fake cgroup v2 directory: 90 MiB in use of a 100 MiB limit is
// past the default warning threshold (80%), not the critical one (95%).
func ExampleMemory() {
	dir, err := os.MkdirTemp("", "cgroup")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	for name, content := range map[string]string{
		"cgroup.controllers": "cpu memory pids\n",
		"memory.max":         "104857600\n", // 100 MiB
		"memory.current":     "104857600\n",
		"memory.stat":        "anon 94371840\ninactive_file 10485760\n", // 10 MiB of page cache to reclaim
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			panic(err)
		}
	}

	chk, err := syscheck.Memory(syscheck.MemoryConfig{
		Usage:  syscheck.CgroupMemory,
		Cgroup: &syscheck.Cgroup{Unified: dir}, // default: the process's own, from FindCgroup
	})
	if err != nil {
		panic(err)
	}
	err = chk.Check(context.Background())
	fmt.Println(err)
	fmt.Println("warning:", core.IsWarning(err))
	for _, o := range chk.Observations() {
		fmt.Println(o.Name, o.Value, o.Unit)
	}
	// Output:
	// syscheck: memory: cgroup working set is 90.0 MiB of the 100.0 MiB cgroup limit (90.0%), above the warning 80%
	// warning: true
	// used 9.437184e+07 bytes
	// limit 1.048576e+08 bytes
	// used_fraction 0.9 ratio
}

// Thresholds are validated when the checker is made.
func ExampleMemory_invalid() {
	_, err := syscheck.Memory(syscheck.MemoryConfig{Warn: 0.97}) // Critical defaults to 0.95
	fmt.Println(err)
	// Output: syscheck: memory: Warn 0.97 is above Critical 0.95
}

// The first Check of a CPUChecker only takes a reading: it passes with no
// observations. Under core, the next one, an interval later, measures.
func ExampleCPU() {
	dir, err := os.MkdirTemp("", "cgroup")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "cpu.stat"), []byte("usage_usec 123456789\n"), 0o644); err != nil {
		panic(err)
	}

	chk, err := syscheck.CPU(syscheck.CPUConfig{Cgroup: &syscheck.Cgroup{Unified: dir}})
	if err != nil {
		panic(err)
	}
	fmt.Println("first check:", chk.Check(context.Background()))
	fmt.Println("observations:", len(chk.Observations()))
	// Output:
	// first check: <nil>
	// observations: 0
}

func ExampleDisk() {
	chk, err := syscheck.Disk(os.TempDir(), syscheck.DiskConfig{
		WarnFree:          0.10,    // warn below 10% free
		CriticalFreeBytes: 1 << 20, // fail below 1 MiB free
	})
	if err != nil {
		panic(err)
	}
	_ = chk.Check(context.Background())
	for _, o := range chk.Observations() {
		fmt.Println(o.Name, o.Unit)
	}
	// Output:
	// free bytes
	// size bytes
	// free_fraction ratio
}
