package syscheck

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/probekit/probekit/core"
)

const mib = 1 << 20

// writeFile writes content to dir/name, creating directories, and
// returns dir.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// fakeProc returns a directory to use as /proc with a meminfo saying
// MemTotal is memTotalMiB MiB.
func fakeProc(t *testing.T, memTotalMiB int) string {
	t.Helper()
	kb := memTotalMiB * 1024
	return writeFile(t, t.TempDir(), "meminfo",
		"MemTotal:       "+strconv.Itoa(kb)+" kB\nMemFree:         1000 kB\nMemAvailable:    2000 kB\n")
}

// TestMemoryGoRuntimeThresholds drives the thresholds of the default
// usage, the Go runtime's memory, with readings given by the test: the
// runtime's real memory cannot be set to an exact size, so this is the
// one reading this package fakes. Everything else (the cgroup and the
// machine's memory) is read from real files.
func TestMemoryGoRuntimeThresholds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		giveUsed  uint64
		giveErr   error
		giveLimit uint64 // MemoryConfig.Limit
		want      string // "pass", "warn", "fail"
		wantText  string
	}{
		{name: "below warning", giveUsed: 100 * mib, want: "pass"},
		{name: "between", giveUsed: 850 * mib, want: "warn",
			wantText: "syscheck: memory: Go runtime holds 850.0 MiB of the 1000.0 MiB cgroup limit (85.0%), above the warning 80%"},
		{name: "above critical", giveUsed: 990 * mib, want: "fail",
			wantText: "syscheck: memory: Go runtime holds 990.0 MiB of the 1000.0 MiB cgroup limit (99.0%), above the critical 95%"},
		{name: "configured limit wins", giveUsed: 990 * mib, giveLimit: 4000 * mib, want: "pass"},
		{name: "configured limit, above critical", giveUsed: 990 * mib, giveLimit: 1000 * mib, want: "fail",
			wantText: "of the 1000.0 MiB configured limit"},
		{name: "reading fails", giveErr: errors.New("boom"), want: "fail", wantText: "syscheck: memory: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cg := Cgroup{Unified: writeFile(t, t.TempDir(), "memory.max", strconv.Itoa(1000*mib)+"\n")}
			c, err := Memory(MemoryConfig{Cgroup: &cg, Limit: tt.giveLimit})
			if err != nil {
				t.Fatal(err)
			}
			c.proc = fakeProc(t, 8000)
			c.readGo = func() (uint64, error) { return tt.giveUsed, tt.giveErr }
			err = c.Check(context.Background())
			got := "fail"
			switch {
			case err == nil:
				got = "pass"
			case core.IsWarning(err):
				got = "warn"
			}
			if got != tt.want {
				t.Fatalf("Check() = %v (%s); want %s", err, got, tt.want)
			}
			if tt.wantText != "" && (err == nil || !strings.Contains(err.Error(), tt.wantText)) {
				t.Errorf("Check() = %v; want text containing %q", err, tt.wantText)
			}
		})
	}
}

// TestMemoryLimitSource checks which limit a reading is measured against,
// with a fake /proc/meminfo.
func TestMemoryLimitSource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		giveMax       string // v2 memory.max; "" for none
		giveV1Limit   string // v1 memory.limit_in_bytes; "" for no v1
		giveMemTotal  int    // MiB; 0 for no meminfo
		giveMeminfo   string // meminfo content, instead of giveMemTotal
		giveNoCgroup  bool
		wantLimit     float64 // MiB
		wantLimitText string
		wantIs        error
	}{
		{name: "cgroup limit", giveMax: strconv.Itoa(512 * mib), giveMemTotal: 8000, wantLimit: 512, wantLimitText: "cgroup limit"},
		{name: "max means the machine", giveMax: "max", giveMemTotal: 8000, wantLimit: 8000, wantLimitText: "machine memory"},
		{name: "no limit file means the machine", giveMemTotal: 8000, wantLimit: 8000, wantLimitText: "machine memory"},
		{name: "limit above the machine", giveMax: strconv.FormatUint(16000*mib, 10), giveMemTotal: 8000, wantLimit: 8000, wantLimitText: "machine memory"},
		{name: "v1 unlimited", giveV1Limit: "9223372036854771712", giveMemTotal: 8000, wantLimit: 8000, wantLimitText: "machine memory"},
		{name: "v1 unlimited, 64k pages", giveV1Limit: "9223372036854710272", giveMemTotal: 8000, wantLimit: 8000},
		{name: "v1 -1", giveV1Limit: "-1", giveMemTotal: 8000, wantLimit: 8000},
		{name: "v1 limit", giveV1Limit: strconv.Itoa(300 * mib), giveMemTotal: 8000, wantLimit: 300, wantLimitText: "cgroup limit"},
		{name: "no cgroup", giveNoCgroup: true, giveMemTotal: 4000, wantLimit: 4000, wantLimitText: "machine memory"},
		{name: "cgroup limit, no meminfo", giveMax: strconv.Itoa(512 * mib), wantLimit: 512},
		{name: "nothing", giveNoCgroup: true, wantIs: ErrNoLimit},
		{name: "unlimited, no meminfo", giveMax: "max", wantIs: ErrNoLimit},
		{name: "meminfo garbage", giveMax: "max", giveMeminfo: "MemTotal: lots kB\n", wantIs: ErrMalformed},
		{name: "meminfo in MB", giveMax: "max", giveMeminfo: "MemTotal: 1000 MB\n", wantIs: ErrMalformed},
		{name: "meminfo without MemTotal", giveMax: "max", giveMeminfo: "MemFree: 1000 kB\n", wantIs: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var cg Cgroup
			switch {
			case tt.giveNoCgroup:
			case tt.giveV1Limit != "":
				cg.Memory = writeFile(t, t.TempDir(), "memory.limit_in_bytes", tt.giveV1Limit+"\n")
			default:
				cg.Unified = writeFile(t, t.TempDir(), "cgroup.controllers", "memory\n")
				if tt.giveMax != "" {
					writeFile(t, cg.Unified, "memory.max", tt.giveMax+"\n")
				}
			}
			c, err := Memory(MemoryConfig{Cgroup: &cg})
			if err != nil {
				t.Fatal(err)
			}
			c.proc = t.TempDir()
			switch {
			case tt.giveMeminfo != "":
				writeFile(t, c.proc, "meminfo", tt.giveMeminfo)
			case tt.giveMemTotal > 0:
				c.proc = fakeProc(t, tt.giveMemTotal)
			}
			c.readGo = func() (uint64, error) { return 100 * mib, nil }
			err = c.Check(context.Background())
			if tt.wantIs != nil {
				if !errors.Is(err, tt.wantIs) {
					t.Fatalf("Check() = %v; want an error wrapping %v", err, tt.wantIs)
				}
				return
			}
			if err != nil {
				t.Fatalf("Check() = %v; want nil", err)
			}
			if got := c.Observations()[1].Value; got != tt.wantLimit*mib {
				t.Errorf("limit = %v; want %v MiB", got, tt.wantLimit)
			}
			if tt.wantLimitText != "" {
				// Push the reading over the critical threshold to see the
				// limit named in the error.
				c.readGo = func() (uint64, error) { return uint64(tt.wantLimit * mib), nil }
				if err := c.Check(context.Background()); err == nil || !strings.Contains(err.Error(), " "+tt.wantLimitText+" ") {
					t.Errorf("Check() = %v; want it to name the %s", err, tt.wantLimitText)
				}
			}
		})
	}
}
