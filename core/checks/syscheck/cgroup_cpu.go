package syscheck

import (
	"path/filepath"
	"strconv"
	"strings"
)

// cpuLimit returns the cgroup's CPU quota in CPUs (cpu.max, or v1
// cpu.cfs_quota_us / cpu.cfs_period_us, the smallest along its
// ancestors), and false if it has none or there is no cpu controller.
func (c Cgroup) cpuLimit() (float64, bool, error) {
	if c.CPU != "" {
		return minLimit(c.CPU, markerV1, readCFSQuota)
	}
	if c.Unified != "" {
		return minLimit(c.Unified, markerV2, readCPUMax)
	}
	return 0, false, nil
}

// readCPUMax reads a v2 cpu.max, "$MAX $PERIOD" in microseconds, where
// $MAX may be "max".
func readCPUMax(dir string) (float64, bool, error) {
	name := filepath.Join(dir, "cpu.max")
	s, ok, err := readSmall(name)
	if err != nil || !ok {
		return 0, false, err
	}
	f := strings.Fields(s)
	if len(f) == 0 || len(f) > 2 {
		return 0, false, malformed(name, s)
	}
	if f[0] == "max" {
		return 0, false, nil
	}
	if len(f) != 2 {
		return 0, false, malformed(name, s)
	}
	quota, err1 := strconv.ParseUint(f[0], 10, 64)
	period, err2 := strconv.ParseUint(f[1], 10, 64)
	if err1 != nil || err2 != nil || quota == 0 || period == 0 {
		return 0, false, malformed(name, s)
	}
	return float64(quota) / float64(period), true, nil
}

// readCFSQuota reads v1 cpu.cfs_quota_us (-1 for none) and
// cpu.cfs_period_us.
func readCFSQuota(dir string) (float64, bool, error) {
	name := filepath.Join(dir, "cpu.cfs_quota_us")
	s, ok, err := readSmall(name)
	if err != nil || !ok {
		return 0, false, err
	}
	quota, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || quota == 0 {
		return 0, false, malformed(name, s)
	}
	if quota < 0 {
		return 0, false, nil
	}
	name = filepath.Join(dir, "cpu.cfs_period_us")
	s, ok, err = readSmall(name)
	if err != nil {
		return 0, false, err
	}
	if !ok {
		return 0, false, missing(name)
	}
	period, err := parseUint(name, s)
	if err != nil {
		return 0, false, err
	}
	if period == 0 {
		return 0, false, malformed(name, s)
	}
	return float64(quota) / float64(period), true, nil
}

// cpuUsage returns the CPU time the cgroup has used since it was made, in
// seconds (v2 cpu.stat usage_usec, or v1 cpuacct.usage in nanoseconds),
// and the file it read; ok is false if the cgroup has no CPU accounting.
func (c Cgroup) cpuUsage() (seconds float64, file string, ok bool, err error) {
	switch {
	case c.CPUAcct != "":
		if err := requireDir(c.CPUAcct); err != nil {
			return 0, "", false, err
		}
		name := filepath.Join(c.CPUAcct, "cpuacct.usage")
		s, exists, err := readSmall(name)
		if err != nil {
			return 0, "", false, err
		}
		if !exists {
			return 0, "", false, missing(name)
		}
		ns, err := parseUint(name, s)
		return float64(ns) / 1e9, name, err == nil, err
	case c.Unified != "":
		if err := requireDir(c.Unified); err != nil {
			return 0, "", false, err
		}
		name := filepath.Join(c.Unified, "cpu.stat")
		s, exists, err := readSmall(name)
		if err != nil {
			return 0, "", false, err
		}
		if !exists {
			return 0, "", false, missing(name)
		}
		us, found, err := keyedValue(name, s, "usage_usec")
		if err != nil {
			return 0, "", false, err
		}
		if !found {
			return 0, "", false, malformed(name, s)
		}
		return float64(us) / 1e6, name, true, nil
	}
	return 0, "", false, nil
}
