package syscheck

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/probekit/probekit/core"
)

// procStatFile returns /proc/stat content for two CPUs whose aggregate
// line has busy (user) and idle ticks; the other fields stay fixed.
func procStatFile(busy, idle uint64) string {
	return fmt.Sprintf("cpu  %d 0 20 %d 5 0 3 2 7 0\ncpu0 1 0 0 1 0 0 0 0 0 0\ncpu1 1 0 0 1 0 0 0 0 0 0\nintr 1 2 3\nctxt 99\n", busy, idle)
}

// TestCPUProcStat measures with a fake /proc/stat, as on a machine without
// cgroups: Cgroup{} and a temporary directory as /proc.
func TestCPUProcStat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name               string
		giveBusy, giveIdle uint64 // ticks added between the readings
		want               string // "pass", "warn", "fail", "none" (no observation)
		wantFrac           float64
	}{
		{name: "below warning", giveBusy: 150, giveIdle: 50, want: "pass", wantFrac: 0.75},
		{name: "between", giveBusy: 180, giveIdle: 20, want: "warn", wantFrac: 0.9},
		{name: "above critical", giveBusy: 199, giveIdle: 1, want: "fail", wantFrac: 0.995},
		{name: "idle", giveBusy: 0, giveIdle: 200, want: "pass", wantFrac: 0},
		{name: "no ticks", want: "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			proc := t.TempDir()
			synctest.Test(t, func(t *testing.T) {
				c, err := CPU(CPUConfig{Cgroup: &Cgroup{}, Critical: 0.95})
				if err != nil {
					t.Fatal(err)
				}
				c.proc = proc
				writeFile(t, proc, "stat", procStatFile(1000, 5000))
				if err := c.Check(context.Background()); err != nil || c.Observations() != nil {
					t.Fatalf("first Check() = %v, %v; want nil, no observations", err, c.Observations())
				}
				time.Sleep(time.Second)
				writeFile(t, proc, "stat", procStatFile(1000+tt.giveBusy, 5000+tt.giveIdle))
				err = c.Check(context.Background())
				got := "fail"
				switch {
				case err == nil && c.Observations() == nil:
					got = "none"
				case err == nil:
					got = "pass"
				case core.IsWarning(err):
					got = "warn"
				}
				if got != tt.want {
					t.Fatalf("Check() = %v (%s); want %s", err, got, tt.want)
				}
				if got == "none" {
					return
				}
				obs := c.Observations()
				if obs[0].Value != 2*tt.wantFrac || obs[1].Value != 2 || obs[2].Value != tt.wantFrac {
					t.Errorf("Observations() = %v; want used %v, limit 2, used_fraction %v", obs, 2*tt.wantFrac, tt.wantFrac)
				}
			})
		})
	}
}

func TestCPUProcStatBad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		give   string // "" for no file
		wantIs error
	}{
		{name: "no file", wantIs: errors.ErrUnsupported},
		{name: "garbage", give: "cpu  a b c d e f g h\ncpu0 1 1 1 1 1 1 1 1\n", wantIs: ErrMalformed},
		{name: "short line", give: "cpu  1 2 3\ncpu0 1 2 3\n", wantIs: ErrMalformed},
		{name: "no per-CPU lines", give: "cpu  1 2 3 4 5 6 7 8\n", wantIs: ErrMalformed},
		{name: "no aggregate line", give: "cpu0 1 2 3 4 5 6 7 8\n", wantIs: ErrMalformed},
		{name: "empty", give: " ", wantIs: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := CPU(CPUConfig{Cgroup: &Cgroup{}})
			if err != nil {
				t.Fatal(err)
			}
			c.proc = t.TempDir()
			if tt.give != "" {
				writeFile(t, c.proc, "stat", tt.give)
			}
			if err := c.Check(context.Background()); !errors.Is(err, tt.wantIs) {
				t.Errorf("Check() = %v; want an error wrapping %v", err, tt.wantIs)
			}
		})
	}
}
