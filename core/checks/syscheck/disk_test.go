package syscheck_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/probekit/probekit/core/checks/syscheck"
)

func TestDiskConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		givePath string
		give     syscheck.DiskConfig
		wantErr  string
	}{
		{name: "zero value", givePath: "/", give: syscheck.DiskConfig{}},
		{name: "fractions", givePath: "/", give: syscheck.DiskConfig{WarnFree: 0.2, CriticalFree: 0.1}},
		{name: "bytes only", givePath: "/", give: syscheck.DiskConfig{CriticalFreeBytes: 1 << 30}},
		{name: "all four", givePath: "/", give: syscheck.DiskConfig{WarnFree: 0.2, CriticalFree: 0.1, WarnFreeBytes: 2 << 30, CriticalFreeBytes: 1 << 30}},
		{name: "warn only", givePath: "/", give: syscheck.DiskConfig{WarnFree: 0.2}},
		{name: "empty path", give: syscheck.DiskConfig{}, wantErr: "syscheck: disk: empty path"},
		{name: "warn below critical", givePath: "/", give: syscheck.DiskConfig{WarnFree: 0.05, CriticalFree: 0.1}, wantErr: "syscheck: disk: WarnFree 0.05 is below CriticalFree 0.1"},
		{name: "warn bytes below critical", givePath: "/", give: syscheck.DiskConfig{WarnFreeBytes: 1, CriticalFreeBytes: 2}, wantErr: "WarnFreeBytes 1 is below CriticalFreeBytes 2"},
		{name: "fraction 1", givePath: "/", give: syscheck.DiskConfig{WarnFree: 1}, wantErr: "WarnFree 1 must be a fraction in [0, 1)"},
		{name: "percent", givePath: "/", give: syscheck.DiskConfig{CriticalFree: 5}, wantErr: "CriticalFree 5 must be a fraction"},
		{name: "negative", givePath: "/", give: syscheck.DiskConfig{WarnFree: -0.1}, wantErr: "WarnFree -0.1 must be a fraction"},
		{name: "NaN", givePath: "/", give: syscheck.DiskConfig{CriticalFree: nan()}, wantErr: "CriticalFree NaN must be a fraction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := syscheck.Disk(tt.givePath, tt.give)
			checkConfigErr(t, "Disk", tt.give, c != nil, err, tt.wantErr)
		})
	}
}

// readDisk returns the free fraction and free bytes of the filesystem
// holding path, as a DiskChecker reads them.
func readDisk(t *testing.T, path string) (frac, free, size float64) {
	t.Helper()
	c, err := syscheck.Disk(path, syscheck.DiskConfig{WarnFreeBytes: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check() = %v", err)
	}
	obs := c.Observations()
	frac, _ = observed(obs, "free_fraction")
	free, _ = observed(obs, "free")
	size, _ = observed(obs, "size")
	return frac, free, size
}

// TestDiskThresholds drives every threshold against the real free space
// of the test's temporary directory: each is set to half or to twice (or
// half-way to 1, for a fraction) the space found free, margins that
// writes elsewhere on the machine do not cross.
func TestDiskThresholds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f, free, _ := readDisk(t, dir)
	if f < 0.01 || free < 64*mib {
		t.Skipf("skipping: the filesystem of %s is nearly full (%.1f%%, %.0f bytes free)", dir, f*100, free)
	}
	lo, hi := f/2, (f+1)/2
	fb := uint64(free)
	tests := []struct {
		name     string
		give     syscheck.DiskConfig
		want     wantLevel
		wantText string
	}{
		{name: "fraction: plenty free", give: syscheck.DiskConfig{WarnFree: lo, CriticalFree: lo / 2}, want: wantPass},
		{name: "fraction: between", give: syscheck.DiskConfig{WarnFree: hi, CriticalFree: lo}, want: wantWarn, wantText: "%), below the warning "},
		{name: "fraction: below critical", give: syscheck.DiskConfig{WarnFree: hi, CriticalFree: hi}, want: wantFail, wantText: "%), below the critical "},
		{name: "fraction: warning only", give: syscheck.DiskConfig{WarnFree: hi}, want: wantWarn},
		{name: "bytes: plenty free", give: syscheck.DiskConfig{WarnFreeBytes: fb / 2, CriticalFreeBytes: fb / 4}, want: wantPass},
		{name: "bytes: between", give: syscheck.DiskConfig{WarnFreeBytes: fb * 2, CriticalFreeBytes: fb / 2}, want: wantWarn},
		{name: "bytes: below critical", give: syscheck.DiskConfig{WarnFreeBytes: fb * 2, CriticalFreeBytes: fb * 2}, want: wantFail, wantText: "iB free"},
		{name: "either: bytes cross", give: syscheck.DiskConfig{CriticalFree: lo, CriticalFreeBytes: fb * 2}, want: wantFail, wantText: "% or "},
		{name: "either: fraction crosses", give: syscheck.DiskConfig{CriticalFree: hi, CriticalFreeBytes: 1}, want: wantFail},
		{name: "either: neither crosses", give: syscheck.DiskConfig{WarnFree: lo, WarnFreeBytes: fb / 2}, want: wantPass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := syscheck.Disk(dir, tt.give)
			if err != nil {
				t.Fatal(err)
			}
			err = c.Check(context.Background())
			wantThreshold(t, err, tt.want, tt.wantText)
			if err != nil && !strings.HasPrefix(err.Error(), "syscheck: disk "+dir+": ") {
				t.Errorf("Check() = %v; want it to name the path", err)
			}
		})
	}
}

// TestDiskReal reads the free space of the test's temporary directory and
// of the root filesystem with the default thresholds.
func TestDiskReal(t *testing.T) {
	t.Parallel()
	for _, path := range []string{t.TempDir(), "/"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			c, err := syscheck.Disk(path, syscheck.DiskConfig{})
			if err != nil {
				t.Fatal(err)
			}
			err = c.Check(context.Background())
			if err != nil && !errors.Is(err, syscheck.ErrThreshold) {
				t.Fatalf("Check() = %v", err)
			}
			obs := c.Observations()
			t.Logf("observations: %v (Check: %v)", obs, err)
			frac, _ := observed(obs, "free_fraction")
			free, _ := observed(obs, "free")
			size, _ := observed(obs, "size")
			if size < 1*mib || free > size || frac < 0 || frac > 1 || frac != free/size {
				t.Errorf("free = %.0f, size = %.0f, free_fraction = %v; want 0 <= free <= size, size >= 1 MiB, free_fraction = free/size", free, size, frac)
			}
		})
	}
}

func TestDiskErrors(t *testing.T) {
	t.Parallel()
	missing := t.TempDir() + "/missing"
	c, err := syscheck.Disk(missing, syscheck.DiskConfig{})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Check(context.Background())
	if !errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscheck.ErrThreshold) {
		t.Errorf("Check() on a missing path = %v; want an error wrapping fs.ErrNotExist", err)
	}
	if want := "syscheck: disk " + missing + ": statfs " + missing + ": no such file or directory"; err == nil || err.Error() != want {
		t.Errorf("Check() = %v; want %q", err, want)
	}
	if obs := c.Observations(); obs != nil {
		t.Errorf("Observations() = %v; want nil", obs)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Check(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Check(canceled) = %v; want an error wrapping context.Canceled", err)
	}
}
