package syscheck

import (
	"path/filepath"
	"strconv"
	"strings"
)

// defaultProc is where the proc filesystem is mounted.
const defaultProc = "/proc"

// memTotal returns the machine's memory in bytes, MemTotal in
// <proc>/meminfo, and false if that file does not exist (not Linux).
// Inside a container it is still the host's memory.
func memTotal(proc string) (uint64, bool, error) {
	name := filepath.Join(proc, "meminfo")
	s, ok, err := readSmall(name)
	if err != nil || !ok {
		return 0, false, err
	}
	for line := range strings.Lines(s) {
		rest, found := strings.CutPrefix(line, "MemTotal:")
		if !found {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, false, malformed(name, strings.TrimSpace(line))
		}
		kb, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil || kb == 0 {
			return 0, false, malformed(name, strings.TrimSpace(line))
		}
		return kb * 1024, true, nil
	}
	return 0, false, malformed(name, s)
}

// procStat is the machine-wide CPU time from the "cpu" line of
// /proc/stat, in clock ticks summed over every CPU.
type procStat struct {
	busy, total uint64
	cpus        int // "cpuN" lines: CPUs online
}

// readProcStat reads name, a /proc/stat; ok is false if it does not
// exist.
//
// The "cpu" line holds user, nice, system, idle, iowait, irq, softirq,
// steal, guest and guest_nice (see proc_stat(5)). The total is the sum of
// the first eight (guest time is already counted in user and nice); busy
// is the total less idle and iowait.
func readProcStat(name string) (procStat, bool, error) {
	s, ok, err := readSmall(name)
	if err != nil || !ok {
		return procStat{}, false, err
	}
	var st procStat
	found := false
	for line := range strings.Lines(s) {
		rest, isCPU := strings.CutPrefix(line, "cpu")
		if !isCPU {
			continue
		}
		if rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			st.cpus++
			continue
		}
		f := strings.Fields(rest)
		if len(f) < 8 {
			return procStat{}, false, malformed(name, strings.TrimSpace(line))
		}
		for i, v := range f[:8] {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return procStat{}, false, malformed(name, strings.TrimSpace(line))
			}
			st.total += n
			if i != 3 && i != 4 { // idle, iowait
				st.busy += n
			}
		}
		found = true
	}
	if !found || st.cpus == 0 {
		return procStat{}, false, malformed(name, s)
	}
	return st, true, nil
}
