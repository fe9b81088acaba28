package syscheck_test

import (
	"context"
	"errors"
	"io/fs"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/probekit/probekit/core/checks/syscheck"
	"github.com/probekit/probekit/internal/testenv"
)

const mib = 1 << 20

func TestMemoryConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		give    syscheck.MemoryConfig
		wantErr string // "" for none
	}{
		{name: "zero value", give: syscheck.MemoryConfig{}},
		{name: "warn only", give: syscheck.MemoryConfig{Warn: 0.5}},
		{name: "equal", give: syscheck.MemoryConfig{Warn: 0.9, Critical: 0.9}},
		{name: "critical 1", give: syscheck.MemoryConfig{Critical: 1}},
		{name: "cgroup usage", give: syscheck.MemoryConfig{Usage: syscheck.CgroupMemory}},
		{name: "warn above default critical", give: syscheck.MemoryConfig{Warn: 0.97}, wantErr: "syscheck: memory: Warn 0.97 is above Critical 0.95"},
		{name: "warn above critical", give: syscheck.MemoryConfig{Warn: 0.9, Critical: 0.85}, wantErr: "Warn 0.9 is above Critical 0.85"},
		{name: "negative warn", give: syscheck.MemoryConfig{Warn: -0.1}, wantErr: "Warn -0.1 must be a fraction in (0, 1]"},
		{name: "critical above 1", give: syscheck.MemoryConfig{Critical: 1.5}, wantErr: "Critical 1.5 must be a fraction in (0, 1]"},
		{name: "percent instead of fraction", give: syscheck.MemoryConfig{Warn: 80, Critical: 95}, wantErr: "Warn 80 must be a fraction"},
		{name: "NaN", give: syscheck.MemoryConfig{Critical: nan()}, wantErr: "Critical NaN must be a fraction"},
		{name: "unknown usage", give: syscheck.MemoryConfig{Usage: 7}, wantErr: "unknown Usage MemoryUsage(7)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := syscheck.Memory(tt.give)
			checkConfigErr(t, "Memory", tt.give, c != nil, err, tt.wantErr)
		})
	}
}

// checkConfigErr checks a constructor's result against wantErr, a part of
// the error text or "" for none.
func checkConfigErr(t *testing.T, fn string, give any, made bool, err error, wantErr string) {
	t.Helper()
	switch {
	case wantErr == "" && err != nil:
		t.Fatalf("%s(%+v) error = %v; want none", fn, give, err)
	case wantErr == "" && !made:
		t.Fatalf("%s(%+v) = nil, nil; want a checker", fn, give)
	case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
		t.Fatalf("%s(%+v) error = %v; want one containing %q", fn, give, err, wantErr)
	case wantErr != "" && !errors.Is(err, syscheck.ErrInvalidConfig):
		t.Fatalf("%s(%+v) error = %v; want it to wrap ErrInvalidConfig", fn, give, err)
	case wantErr != "" && made:
		t.Fatalf("%s(%+v) returned a checker with error %v", fn, give, err)
	}
}

func nan() float64 { v := 0.0; return v / v }

func TestMemoryThresholds(t *testing.T) {
	t.Parallel()
	// Limits are far below any machine's memory, so the cgroup's is used.
	v2 := func(limit, current, inactive string) func(t *testing.T) *syscheck.Cgroup {
		return func(t *testing.T) *syscheck.Cgroup {
			return fakeV2(t, map[string]string{
				"memory.max":     limit + "\n",
				"memory.current": current + "\n",
				"memory.stat":    "anon 1000\nfile 2000\nactive_file 0\ninactive_file " + inactive + "\nslab 10\n",
			})
		}
	}
	v1 := func(limit, usage, inactive string) func(t *testing.T) *syscheck.Cgroup {
		return func(t *testing.T) *syscheck.Cgroup {
			return fakeV1(t, map[string]string{
				"memory/memory.limit_in_bytes": limit + "\n",
				"memory/memory.usage_in_bytes": usage + "\n",
				"memory/memory.stat": "cache 0\nrss 1000\ninactive_file 1\n" +
					"hierarchical_memory_limit 9223372036854771712\ntotal_inactive_file " + inactive + "\n",
			})
		}
	}
	nested := func(parentMax, childMax, current string) func(t *testing.T) *syscheck.Cgroup {
		return func(t *testing.T) *syscheck.Cgroup {
			root := fakeV2(t, map[string]string{
				"memory.max":                       parentMax + "\n",
				"kubepods/cgroup.controllers":      "memory\n",
				"kubepods/memory.max":              "max\n",
				"kubepods/pod1/cgroup.controllers": "memory\n",
				"kubepods/pod1/memory.max":         childMax + "\n",
				"kubepods/pod1/memory.current":     current + "\n",
				"kubepods/pod1/memory.stat":        "inactive_file 0\n",
			})
			return &syscheck.Cgroup{Unified: root.Unified + "/kubepods/pod1"}
		}
	}
	n := func(m float64) string { return strconv.Itoa(int(m * mib)) }
	tests := []struct {
		name      string
		giveCg    func(t *testing.T) *syscheck.Cgroup
		giveWarn  float64 // 0: default 0.8
		giveCrit  float64 // 0: default 0.95
		want      wantLevel
		wantUsed  float64 // MiB
		wantLimit float64 // MiB
		wantText  string  // part of the error text, if any
	}{
		{name: "v2 below warning", giveCg: v2(n(100), n(50), "0"), want: wantPass, wantUsed: 50, wantLimit: 100},
		{name: "v2 at warning", giveCg: v2(n(100), n(80), "0"), want: wantPass, wantUsed: 80, wantLimit: 100},
		{name: "v2 between", giveCg: v2(n(100), n(90), "0"), want: wantWarn, wantUsed: 90, wantLimit: 100,
			wantText: "syscheck: memory: cgroup working set is 90.0 MiB of the 100.0 MiB cgroup limit (90.0%), above the warning 80%"},
		{name: "v2 above critical", giveCg: v2(n(100), n(99), "0"), want: wantFail, wantUsed: 99, wantLimit: 100,
			wantText: "(99.0%), above the critical 95%"},
		{name: "v2 page cache is not counted", giveCg: v2(n(100), n(99), n(30)), want: wantPass, wantUsed: 69, wantLimit: 100},
		{name: "v2 more inactive than usage", giveCg: v2(n(100), n(10), n(30)), want: wantPass, wantUsed: 0, wantLimit: 100},
		{name: "v2 own thresholds", giveCg: v2(n(100), n(60), "0"), giveWarn: 0.5, giveCrit: 0.7, want: wantWarn, wantUsed: 60, wantLimit: 100,
			wantText: "above the warning 50%"},
		{name: "v2 no warning band", giveCg: v2(n(100), n(91), "0"), giveWarn: 0.9, giveCrit: 0.9, want: wantFail, wantUsed: 91, wantLimit: 100},
		{name: "v1 below warning", giveCg: v1(n(200), n(100), "0"), want: wantPass, wantUsed: 100, wantLimit: 200},
		{name: "v1 between", giveCg: v1(n(200), n(180), "0"), want: wantWarn, wantUsed: 180, wantLimit: 200},
		{name: "v1 above critical", giveCg: v1(n(200), n(199), "0"), want: wantFail, wantUsed: 199, wantLimit: 200},
		{name: "v1 page cache is not counted", giveCg: v1(n(200), n(199), n(100)), want: wantPass, wantUsed: 99, wantLimit: 200},
		{name: "v2 parent's limit binds", giveCg: nested(n(100), "max", n(90)), want: wantWarn, wantUsed: 90, wantLimit: 100},
		{name: "v2 smallest limit wins", giveCg: nested(n(100), n(50), n(45)), want: wantWarn, wantUsed: 45, wantLimit: 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := syscheck.Memory(syscheck.MemoryConfig{
				Usage: syscheck.CgroupMemory, Cgroup: tt.giveCg(t), Warn: tt.giveWarn, Critical: tt.giveCrit,
			})
			if err != nil {
				t.Fatal(err)
			}
			err = c.Check(context.Background())
			wantThreshold(t, err, tt.want, tt.wantText)
			obs := c.Observations()
			used, _ := observed(obs, "used")
			limit, _ := observed(obs, "limit")
			frac, _ := observed(obs, "used_fraction")
			if used != tt.wantUsed*mib || limit != tt.wantLimit*mib || frac != used/limit {
				t.Errorf("Observations() = %v; want used %v MiB, limit %v MiB, used_fraction %v",
					obs, tt.wantUsed, tt.wantLimit, tt.wantUsed/tt.wantLimit)
			}
		})
	}
}

func TestMemoryBadCgroup(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		"memory.max":     "104857600\n",
		"memory.current": "1048576\n",
		"memory.stat":    "inactive_file 0\n",
	}
	with := func(files map[string]string, change map[string]string, drop ...string) map[string]string {
		out := make(map[string]string)
		for k, v := range files {
			out[k] = v
		}
		for k, v := range change {
			out[k] = v
		}
		for _, k := range drop {
			delete(out, k)
		}
		return out
	}
	tests := []struct {
		name     string
		giveCg   func(t *testing.T) *syscheck.Cgroup
		wantIs   error
		wantText []string
	}{
		{name: "v2 garbage limit", giveCg: func(t *testing.T) *syscheck.Cgroup {
			return fakeV2(t, with(good, map[string]string{"memory.max": "lots\n"}))
		}, wantIs: syscheck.ErrMalformed, wantText: []string{"syscheck: memory: malformed file ", "memory.max", `"lots\n"`}},
		{name: "v2 empty limit", giveCg: func(t *testing.T) *syscheck.Cgroup {
			return fakeV2(t, with(good, map[string]string{"memory.max": ""}))
		}, wantIs: syscheck.ErrMalformed, wantText: []string{"memory.max"}},
		{name: "v2 negative limit is garbage", giveCg: func(t *testing.T) *syscheck.Cgroup {
			return fakeV2(t, with(good, map[string]string{"memory.max": "-x\n"}))
		}, wantIs: syscheck.ErrMalformed},
		{name: "v2 garbage usage", giveCg: func(t *testing.T) *syscheck.Cgroup {
			return fakeV2(t, with(good, map[string]string{"memory.current": "12abc\n"}))
		}, wantIs: syscheck.ErrMalformed, wantText: []string{"memory.current", `"12abc\n"`}},
		{name: "v2 garbage stat", giveCg: func(t *testing.T) *syscheck.Cgroup {
			return fakeV2(t, with(good, map[string]string{"memory.stat": "anon 1\ninactive_file many\n"}))
		}, wantIs: syscheck.ErrMalformed, wantText: []string{"memory.stat", "inactive_file many"}},
		{name: "v2 binary junk", giveCg: func(t *testing.T) *syscheck.Cgroup {
			return fakeV2(t, with(good, map[string]string{"memory.current": "\x00\xff\x01" + strings.Repeat("z", 200)}))
		}, wantIs: syscheck.ErrMalformed, wantText: []string{"…"}},
		{name: "v2 no usage file", giveCg: func(t *testing.T) *syscheck.Cgroup {
			return fakeV2(t, with(good, nil, "memory.current"))
		}, wantIs: syscheck.ErrNoCgroup, wantText: []string{"memory.current does not exist"}},
		{name: "v2 no stat file", giveCg: func(t *testing.T) *syscheck.Cgroup {
			return fakeV2(t, with(good, nil, "memory.stat"))
		}, wantIs: fs.ErrNotExist, wantText: []string{"memory.stat"}},
		{name: "v1 garbage limit", giveCg: func(t *testing.T) *syscheck.Cgroup {
			return fakeV1(t, map[string]string{
				"memory/memory.limit_in_bytes": "unlimited\n",
				"memory/memory.usage_in_bytes": "1\n",
				"memory/memory.stat":           "total_inactive_file 0\n",
			})
		}, wantIs: syscheck.ErrMalformed, wantText: []string{"memory.limit_in_bytes"}},
		{name: "missing directory", giveCg: func(t *testing.T) *syscheck.Cgroup {
			return &syscheck.Cgroup{Unified: t.TempDir() + "/gone"}
		}, wantIs: fs.ErrNotExist, wantText: []string{"syscheck: memory: cgroup directory: ", "/gone"}},
		{name: "directory is a file", giveCg: func(t *testing.T) *syscheck.Cgroup {
			cg := fakeV2(t, good)
			return &syscheck.Cgroup{Unified: cg.Unified + "/memory.max"}
		}, wantText: []string{"not a directory"}},
		{name: "no cgroup", giveCg: func(t *testing.T) *syscheck.Cgroup {
			return &syscheck.Cgroup{}
		}, wantIs: syscheck.ErrNoCgroup, wantText: []string{"syscheck: memory: no cgroup memory controller"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := syscheck.Memory(syscheck.MemoryConfig{Usage: syscheck.CgroupMemory, Cgroup: tt.giveCg(t)})
			if err != nil {
				t.Fatal(err)
			}
			err = c.Check(context.Background())
			if levelOf(err) != wantFail {
				t.Fatalf("Check() = %v; want a failure", err)
			}
			if errors.Is(err, syscheck.ErrThreshold) {
				t.Errorf("Check() = %v; want it not to wrap ErrThreshold", err)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("Check() = %v; want it to wrap %v", err, tt.wantIs)
			}
			for _, s := range tt.wantText {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Check() = %v; want text containing %q", err, s)
				}
			}
			if obs := c.Observations(); obs != nil {
				t.Errorf("Observations() = %v after a failed reading; want nil", obs)
			}
		})
	}
}

// TestMemoryReal reads this process's memory and this machine's limits.
func TestMemoryReal(t *testing.T) {
	t.Parallel()
	t.Run("go runtime", func(t *testing.T) {
		t.Parallel()
		c, err := syscheck.Memory(syscheck.MemoryConfig{})
		if err != nil {
			t.Fatal(err)
		}
		ballast := make([]byte, 64*mib)
		for i := range ballast {
			ballast[i] = 1
		}
		if err := c.Check(context.Background()); err != nil {
			t.Fatalf("Check() = %v; want nil for a test process", err)
		}
		runtime.KeepAlive(ballast)
		obs := c.Observations()
		t.Logf("observations: %v", obs)
		used, _ := observed(obs, "used")
		limit, _ := observed(obs, "limit")
		frac, _ := observed(obs, "used_fraction")
		if used < 64*mib || used > 16<<30 {
			t.Errorf("used = %.0f bytes; want between 64 MiB (the ballast) and 16 GiB", used)
		}
		if limit < 256*mib || limit > 1<<50 {
			t.Errorf("limit = %.0f bytes; want between 256 MiB and 1 PiB", limit)
		}
		if frac <= 0 || frac >= 0.8 {
			t.Errorf("used_fraction = %v; want in (0, 0.8)", frac)
		}
	})
	t.Run("cgroup", func(t *testing.T) {
		t.Parallel()
		c, err := syscheck.Memory(syscheck.MemoryConfig{Usage: syscheck.CgroupMemory})
		if err != nil {
			t.Fatal(err)
		}
		err = c.Check(context.Background())
		if errors.Is(err, syscheck.ErrNoCgroup) {
			testenv.Unavailable(t, "no cgroup memory controller here: %v", err)
		}
		if err != nil && !errors.Is(err, syscheck.ErrThreshold) {
			t.Fatalf("Check() = %v", err)
		}
		obs := c.Observations()
		t.Logf("observations: %v (Check: %v)", obs, err)
		used, _ := observed(obs, "used")
		limit, _ := observed(obs, "limit")
		if used < 1*mib || used > limit || limit < 256*mib {
			t.Errorf("used = %.0f, limit = %.0f; want 1 MiB <= used <= limit, limit >= 256 MiB", used, limit)
		}
	})
}
