package syscheck_test

import (
	"context"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/probekit/probekit/core/checks/syscheck"
	"github.com/probekit/probekit/internal/testenv"
)

func TestCPUConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		give    syscheck.CPUConfig
		wantErr string
	}{
		{name: "zero value", give: syscheck.CPUConfig{}},
		{name: "warn", give: syscheck.CPUConfig{Warn: 0.9}},
		{name: "critical", give: syscheck.CPUConfig{Critical: 0.95}},
		{name: "equal", give: syscheck.CPUConfig{Warn: 0.9, Critical: 0.9}},
		{name: "critical below default warn", give: syscheck.CPUConfig{Critical: 0.5}, wantErr: "syscheck: cpu: Warn 0.8 is above Critical 0.5"},
		{name: "critical above 1", give: syscheck.CPUConfig{Critical: 1.5}, wantErr: "Critical 1.5 must be a fraction in (0, 1]"},
		{name: "negative warn", give: syscheck.CPUConfig{Warn: -1}, wantErr: "Warn -1 must be a fraction"},
		{name: "percent", give: syscheck.CPUConfig{Warn: 80}, wantErr: "Warn 80 must be a fraction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := syscheck.CPU(tt.give)
			checkConfigErr(t, "CPU", tt.give, c != nil, err, tt.wantErr)
		})
	}
}

// fakeCPU is a fake cgroup whose CPU usage counter a test advances.
type fakeCPU struct {
	cg    *syscheck.Cgroup
	file  string
	write func(t *testing.T, seconds float64)
}

// cpuV2 returns a fake v2 cgroup with cpu.max set to max ("" for none).
func cpuV2(t *testing.T, max string) fakeCPU {
	cg := fakeV2(t, nil)
	if max != "" {
		writeTree(t, cg.Unified, map[string]string{"cpu.max": max + "\n"})
	}
	return fakeCPU{cg: cg, file: filepath.Join(cg.Unified, "cpu.stat"), write: func(t *testing.T, s float64) {
		us := strconv.FormatUint(uint64(math.Round(s*1e6)), 10)
		writeTree(t, cg.Unified, map[string]string{"cpu.stat": "usage_usec " + us + "\nuser_usec 1\nsystem_usec 1\nnr_periods 0\n"})
	}}
}

// cpuV1 returns a fake v1 cgroup with cpu.cfs_quota_us set to quota and a
// period of 100 ms.
func cpuV1(t *testing.T, quota string) fakeCPU {
	cg := fakeV1(t, map[string]string{
		"cpu/cpu.cfs_quota_us":  quota + "\n",
		"cpu/cpu.cfs_period_us": "100000\n",
	})
	return fakeCPU{cg: cg, file: filepath.Join(cg.CPUAcct, "cpuacct.usage"), write: func(t *testing.T, s float64) {
		writeTree(t, cg.CPUAcct, map[string]string{"cpuacct.usage": strconv.FormatUint(uint64(math.Round(s*1e9)), 10) + "\n"})
	}}
}

// cpuNested returns a fake v2 cgroup "pod/ctr" with cpu.max "max" whose
// parent's cpu.max is parentMax.
func cpuNested(t *testing.T, parentMax string) fakeCPU {
	root := fakeV2(t, map[string]string{
		"cpu.max":                    parentMax + "\n",
		"pod/cgroup.controllers":     "cpu\n",
		"pod/cpu.max":                "max 100000\n",
		"pod/ctr/cgroup.controllers": "cpu\n",
		"pod/ctr/cpu.max":            "max 100000\n",
	})
	dir := filepath.Join(root.Unified, "pod", "ctr")
	return fakeCPU{cg: &syscheck.Cgroup{Unified: dir}, file: filepath.Join(dir, "cpu.stat"), write: func(t *testing.T, s float64) {
		us := strconv.FormatUint(uint64(math.Round(s*1e6)), 10)
		writeTree(t, dir, map[string]string{"cpu.stat": "usage_usec " + us + "\n"})
	}}
}

// TestCPUThresholds drives the thresholds with fake cgroup files whose
// usage counter the test advances, over windows of fake time
// (testing/synctest), so the fractions are exact.
func TestCPUThresholds(t *testing.T) {
	t.Parallel()
	ncpu := float64(runtime.NumCPU())
	tests := []struct {
		name      string
		giveCg    func(t *testing.T) fakeCPU
		giveWarn  float64
		giveCrit  float64
		giveUse   float64 // fraction of the limit used in the window
		wantLimit float64 // CPUs
		want      wantLevel
		wantText  string
	}{
		{name: "v2 quota, below warning", giveCg: func(t *testing.T) fakeCPU { return cpuV2(t, "50000 100000") },
			giveUse: 0.5, wantLimit: math.Min(0.5, ncpu), want: wantPass},
		{name: "v2 quota, between", giveCg: func(t *testing.T) fakeCPU { return cpuV2(t, "50000 100000") },
			giveUse: 0.9, giveCrit: 0.95, wantLimit: 0.5, want: wantWarn,
			wantText: "syscheck: cpu: 0.45 of 0.5 CPUs in use (90.0%), above the warning 80%"},
		{name: "v2 quota, above critical", giveCg: func(t *testing.T) fakeCPU { return cpuV2(t, "50000 100000") },
			giveUse: 0.99, giveCrit: 0.95, wantLimit: 0.5, want: wantFail,
			wantText: "syscheck: cpu: 0.495 of 0.5 CPUs in use (99.0%), above the critical 95%"},
		{name: "v2 no critical by default", giveCg: func(t *testing.T) fakeCPU { return cpuV2(t, "50000 100000") },
			giveUse: 1, wantLimit: 0.5, want: wantWarn},
		{name: "v2 own thresholds", giveCg: func(t *testing.T) fakeCPU { return cpuV2(t, "25000 100000") },
			giveWarn: 0.3, giveCrit: 0.6, giveUse: 0.7, wantLimit: 0.25, want: wantFail},
		{name: "v2 max: all CPUs", giveCg: func(t *testing.T) fakeCPU { return cpuV2(t, "max 100000") },
			giveUse: 0.9, wantLimit: ncpu, want: wantWarn},
		{name: "v2 no cpu.max: all CPUs", giveCg: func(t *testing.T) fakeCPU { return cpuV2(t, "") },
			giveUse: 0.5, wantLimit: ncpu, want: wantPass},
		{name: "v2 quota above the CPUs", giveCg: func(t *testing.T) fakeCPU { return cpuV2(t, "100000000 100000") },
			giveUse: 0.5, wantLimit: ncpu, want: wantPass},
		{name: "v2 parent's quota binds", giveCg: func(t *testing.T) fakeCPU { return cpuNested(t, "20000 100000") },
			giveUse: 0.9, wantLimit: 0.2, want: wantWarn},
		{name: "v1 quota, below warning", giveCg: func(t *testing.T) fakeCPU { return cpuV1(t, "50000") },
			giveUse: 0.7, wantLimit: 0.5, want: wantPass},
		{name: "v1 quota, between", giveCg: func(t *testing.T) fakeCPU { return cpuV1(t, "50000") },
			giveUse: 0.85, giveCrit: 0.9, wantLimit: 0.5, want: wantWarn},
		{name: "v1 quota, above critical", giveCg: func(t *testing.T) fakeCPU { return cpuV1(t, "50000") },
			giveUse: 0.95, giveCrit: 0.9, wantLimit: 0.5, want: wantFail},
		{name: "v1 no quota: all CPUs", giveCg: func(t *testing.T) fakeCPU { return cpuV1(t, "-1") },
			giveUse: 0.9, wantLimit: ncpu, want: wantWarn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := tt.giveCg(t)
			synctest.Test(t, func(t *testing.T) {
				c, err := syscheck.CPU(syscheck.CPUConfig{Cgroup: f.cg, Warn: tt.giveWarn, Critical: tt.giveCrit})
				if err != nil {
					t.Fatal(err)
				}
				const start, window = 1000.0, 10 * time.Second
				f.write(t, start)
				if err := c.Check(context.Background()); err != nil || c.Observations() != nil {
					t.Fatalf("first Check() = %v, observations %v; want nil, none", err, c.Observations())
				}
				time.Sleep(window)
				f.write(t, start+tt.giveUse*tt.wantLimit*window.Seconds())
				err = c.Check(context.Background())
				wantThreshold(t, err, tt.want, "")
				if tt.wantText != "" && (err == nil || err.Error() != tt.wantText) {
					t.Errorf("Check() = %v; want %q", err, tt.wantText)
				}
				checkCPUObs(t, c, tt.giveUse*tt.wantLimit, tt.wantLimit)
			})
		})
	}
}

// checkCPUObs checks a CPUChecker's observations, to within rounding.
func checkCPUObs(t *testing.T, c *syscheck.CPUChecker, wantUsed, wantLimit float64) {
	t.Helper()
	obs := c.Observations()
	used, ok1 := observed(obs, "used")
	limit, ok2 := observed(obs, "limit")
	frac, ok3 := observed(obs, "used_fraction")
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-6 }
	if !ok1 || !ok2 || !ok3 || !near(used, wantUsed) || !near(limit, wantLimit) || !near(frac, wantUsed/wantLimit) {
		t.Errorf("Observations() = %v; want used %v, limit %v, used_fraction %v", obs, wantUsed, wantLimit, wantUsed/wantLimit)
	}
}

// TestCPUReadings checks which Checks measure: not the first, not one too
// soon after the previous reading, not one after the counter went back,
// and not one that cannot read; the others measure since the last
// reading kept.
func TestCPUReadings(t *testing.T) {
	t.Parallel()
	f := cpuV2(t, "100000 100000") // 1 CPU
	synctest.Test(t, func(t *testing.T) {
		c, err := syscheck.CPU(syscheck.CPUConfig{Cgroup: f.cg})
		if err != nil {
			t.Fatal(err)
		}
		check := func(step string, wantErr bool) {
			t.Helper()
			if err := c.Check(context.Background()); (err != nil) != wantErr {
				t.Fatalf("%s: Check() = %v; want error %v", step, err, wantErr)
			}
		}
		noObs := func(step string) {
			t.Helper()
			if obs := c.Observations(); obs != nil {
				t.Fatalf("%s: Observations() = %v; want none", step, obs)
			}
		}

		f.write(t, 100)
		check("first", false)
		noObs("first")

		time.Sleep(syscheck.MinCPUWindow / 2)
		f.write(t, 100.04)
		check("too soon", false)
		noObs("too soon")

		time.Sleep(syscheck.MinCPUWindow*10 - syscheck.MinCPUWindow/2) // 1 s after the first
		f.write(t, 100.5)
		check("second", false)
		checkCPUObs(t, c, 0.5, 1) // 0.5 s over 1 s

		time.Sleep(time.Second)
		f.write(t, 3) // a new cgroup counts from zero
		check("counter went back", false)
		noObs("counter went back")

		time.Sleep(time.Second)
		writeTree(t, filepath.Dir(f.file), map[string]string{"cpu.stat": "usage_usec soon\n"})
		check("garbage", true)
		noObs("garbage")

		time.Sleep(time.Second)
		f.write(t, 3.2)
		check("after garbage", false)
		checkCPUObs(t, c, 0.1, 1) // 0.2 s over the 2 s since the reading kept
	})
}

func TestCPUBadCgroup(t *testing.T) {
	t.Parallel()
	v2 := func(files map[string]string) func(t *testing.T) *syscheck.Cgroup {
		return func(t *testing.T) *syscheck.Cgroup { return fakeV2(t, files) }
	}
	v1 := func(files map[string]string) func(t *testing.T) *syscheck.Cgroup {
		return func(t *testing.T) *syscheck.Cgroup { return fakeV1(t, files) }
	}
	const stat = "usage_usec 1000\n"
	tests := []struct {
		name     string
		giveCg   func(t *testing.T) *syscheck.Cgroup
		wantIs   error
		wantText string
	}{
		{name: "v2 garbage usage", giveCg: v2(map[string]string{"cpu.stat": "usage_usec -5\n"}), wantIs: syscheck.ErrMalformed, wantText: `cpu.stat: "usage_usec -5"`},
		{name: "v2 no usage_usec", giveCg: v2(map[string]string{"cpu.stat": "user_usec 5\n"}), wantIs: syscheck.ErrMalformed, wantText: "cpu.stat"},
		{name: "v2 empty cpu.stat", giveCg: v2(map[string]string{"cpu.stat": ""}), wantIs: syscheck.ErrMalformed},
		{name: "v2 no cpu.stat", giveCg: v2(nil), wantIs: fs.ErrNotExist, wantText: "cpu.stat"},
		{name: "v2 garbage quota", giveCg: v2(map[string]string{"cpu.stat": stat, "cpu.max": "lots 100000\n"}), wantIs: syscheck.ErrMalformed, wantText: "cpu.max"},
		{name: "v2 zero period", giveCg: v2(map[string]string{"cpu.stat": stat, "cpu.max": "50000 0\n"}), wantIs: syscheck.ErrMalformed},
		{name: "v2 zero quota", giveCg: v2(map[string]string{"cpu.stat": stat, "cpu.max": "0 100000\n"}), wantIs: syscheck.ErrMalformed},
		{name: "v2 quota only", giveCg: v2(map[string]string{"cpu.stat": stat, "cpu.max": "50000\n"}), wantIs: syscheck.ErrMalformed},
		{name: "v2 three fields", giveCg: v2(map[string]string{"cpu.stat": stat, "cpu.max": "1 2 3\n"}), wantIs: syscheck.ErrMalformed},
		{name: "v2 empty cpu.max", giveCg: v2(map[string]string{"cpu.stat": stat, "cpu.max": "\n"}), wantIs: syscheck.ErrMalformed},
		{name: "v1 garbage usage", giveCg: v1(map[string]string{"cpuacct/cpuacct.usage": "12 34\n"}), wantIs: syscheck.ErrMalformed, wantText: "cpuacct.usage"},
		{name: "v1 no usage", giveCg: v1(nil), wantIs: fs.ErrNotExist, wantText: "cpuacct.usage"},
		{name: "v1 garbage quota", giveCg: v1(map[string]string{"cpuacct/cpuacct.usage": "1\n", "cpu/cpu.cfs_quota_us": "max\n"}), wantIs: syscheck.ErrMalformed, wantText: "cpu.cfs_quota_us"},
		{name: "v1 quota without period", giveCg: v1(map[string]string{"cpuacct/cpuacct.usage": "1\n", "cpu/cpu.cfs_quota_us": "50000\n"}), wantIs: fs.ErrNotExist, wantText: "cpu.cfs_period_us"},
		{name: "v1 zero period", giveCg: v1(map[string]string{"cpuacct/cpuacct.usage": "1\n", "cpu/cpu.cfs_quota_us": "50000\n", "cpu/cpu.cfs_period_us": "0\n"}), wantIs: syscheck.ErrMalformed},
		{name: "missing directory", giveCg: func(t *testing.T) *syscheck.Cgroup { return &syscheck.Cgroup{Unified: t.TempDir() + "/gone"} },
			wantIs: fs.ErrNotExist, wantText: "syscheck: cpu: cgroup directory: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := syscheck.CPU(syscheck.CPUConfig{Cgroup: tt.giveCg(t)})
			if err != nil {
				t.Fatal(err)
			}
			err = c.Check(context.Background())
			if levelOf(err) != wantFail || errors.Is(err, syscheck.ErrThreshold) {
				t.Fatalf("Check() = %v; want a failure that is not a threshold", err)
			}
			if !errors.Is(err, tt.wantIs) {
				t.Errorf("Check() = %v; want it to wrap %v", err, tt.wantIs)
			}
			if !strings.HasPrefix(err.Error(), "syscheck: cpu: ") || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("Check() = %v; want it to start with %q and contain %q", err, "syscheck: cpu: ", tt.wantText)
			}
		})
	}
}

// TestCPUReal measures this machine's CPU use over two Checks, burning CPU
// in between so that there is some to see.
func TestCPUReal(t *testing.T) {
	t.Parallel()
	cg, err := syscheck.FindCgroup()
	if err != nil {
		t.Fatal(err)
	}
	if cg == (syscheck.Cgroup{}) {
		if _, err := os.Stat("/proc/stat"); err != nil {
			testenv.Unavailable(t, "neither a cgroup nor /proc/stat here")
		}
	}
	c, err := syscheck.CPU(syscheck.CPUConfig{Warn: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Check(context.Background()); err != nil || c.Observations() != nil {
		t.Fatalf("first Check() = %v, observations %v; want nil, none", err, c.Observations())
	}
	// Burn one CPU for a while: a busy loop, not a wait.
	start := time.Now()
	x := 0
	for time.Since(start) < 3*syscheck.MinCPUWindow {
		x++
	}
	err = c.Check(context.Background())
	if err != nil && !errors.Is(err, syscheck.ErrThreshold) {
		t.Fatalf("second Check() = %v", err)
	}
	obs := c.Observations()
	t.Logf("cgroup: %+v; observations: %v (Check: %v; %d spins)", cg, obs, err, x)
	used, _ := observed(obs, "used")
	limit, _ := observed(obs, "limit")
	frac, _ := observed(obs, "used_fraction")
	if limit <= 0 || limit > float64(runtime.NumCPU()) {
		t.Errorf("limit = %v CPUs; want in (0, NumCPU = %d]", limit, runtime.NumCPU())
	}
	// The busy loop used about one CPU, or all of a smaller quota.
	if used < math.Min(0.3, limit/2) || frac > 1.2 {
		t.Errorf("used = %v CPUs, used_fraction = %v; want at least min(0.3, limit/2) CPUs and at most 1.2", used, frac)
	}
}
