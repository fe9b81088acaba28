package syscheck_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/probekit/probekit/core/checks/syscheck"
)

// TestFindCgroupReal finds this process's cgroup and checks that every
// directory found exists and holds the files the checkers read.
func TestFindCgroupReal(t *testing.T) {
	t.Parallel()
	cg, err := syscheck.FindCgroup()
	if err != nil {
		t.Fatalf("FindCgroup() error = %v", err)
	}
	t.Logf("FindCgroup() = %+v", cg)
	for _, tt := range []struct{ dir, file string }{
		{cg.Unified, "cgroup.controllers"},
		{cg.Memory, "memory.usage_in_bytes"},
		{cg.CPU, "cpu.cfs_quota_us"},
		{cg.CPUAcct, "cpuacct.usage"},
	} {
		if tt.dir == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(tt.dir, tt.file)); err != nil {
			t.Errorf("FindCgroup() found %s, without %s: %v", tt.dir, tt.file, err)
		}
	}
	if _, err := os.Stat("/proc/self/cgroup"); err == nil && cg == (syscheck.Cgroup{}) {
		t.Errorf("FindCgroup() = zero Cgroup; want one where /proc/self/cgroup exists")
	}
}
