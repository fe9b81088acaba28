package syscheck

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Cgroup names the directories holding a process's cgroup files, from
// which the [MemoryChecker] and [CPUChecker] read limits and usage.
// [FindCgroup] finds the current process's; the checkers call it at their
// first Check unless configured with a Cgroup of their own.
//
// A controller found on a cgroup v1 hierarchy is read there; otherwise it
// is read from the unified (v2) hierarchy, if any. The kernel binds each
// controller to one hierarchy at a time, so on a "hybrid" host, with v1
// hierarchies and a v2 one mounted together, only one of them has it.
//
// The zero Cgroup has no cgroup at all: the checkers then measure against
// the machine (/proc/meminfo, /proc/stat). A Cgroup pointing at a
// directory of hand-written files is how this package's tests fake one.
type Cgroup struct {
	// Unified is the process's cgroup directory in the cgroup v2
	// hierarchy, such as /sys/fs/cgroup inside a container, with files
	// memory.max, memory.current, memory.stat, cpu.max and cpu.stat.
	// Empty if no v2 hierarchy is mounted.
	Unified string

	// Memory is the process's cgroup directory in the cgroup v1 memory
	// hierarchy, such as /sys/fs/cgroup/memory, with files
	// memory.limit_in_bytes, memory.usage_in_bytes and memory.stat. Empty
	// unless the memory controller is on a v1 hierarchy.
	Memory string

	// CPU is the process's cgroup directory in the cgroup v1 cpu
	// hierarchy, such as /sys/fs/cgroup/cpu,cpuacct, with files
	// cpu.cfs_quota_us and cpu.cfs_period_us. Empty unless the cpu
	// controller is on a v1 hierarchy.
	CPU string

	// CPUAcct is the process's cgroup directory in the cgroup v1 cpuacct
	// hierarchy, with file cpuacct.usage; often the same directory as CPU.
	// Empty unless the cpuacct controller is on a v1 hierarchy.
	CPUAcct string
}

// FindCgroup returns the cgroup directories of the current process, found
// the way the Go runtime finds its CPU limit: from the process's cgroup
// paths in /proc/self/cgroup and the cgroup filesystems mounted in
// /proc/self/mountinfo. In a container with its own cgroup namespace (the
// default for cgroup v2) that is usually Cgroup{Unified: "/sys/fs/cgroup"}.
//
// Where /proc/self/cgroup does not exist (not Linux, or /proc not
// mounted), FindCgroup returns the zero Cgroup and no error. It is an
// error wrapping [ErrMalformed] if either file cannot be parsed.
// FindCgroup is safe for concurrent use.
func FindCgroup() (Cgroup, error) {
	cg, err := findOwnCgroup()
	if err != nil {
		return Cgroup{}, fmt.Errorf("syscheck: %w", err)
	}
	return cg, nil
}

// findOwnCgroup is FindCgroup with errors that are not prefixed yet.
func findOwnCgroup() (Cgroup, error) {
	return findCgroup("/proc/self/cgroup", "/proc/self/mountinfo")
}

// The controllers a Cgroup has a field for.
var v1Controllers = [...]string{"memory", "cpu", "cpuacct"}

// findCgroup is FindCgroup reading the given files instead of the
// process's own.
func findCgroup(cgroupFile, mountinfoFile string) (Cgroup, error) {
	data, err := os.ReadFile(cgroupFile)
	if errors.Is(err, fs.ErrNotExist) {
		return Cgroup{}, nil
	}
	if err != nil {
		return Cgroup{}, fmt.Errorf("find cgroup: %w", err)
	}
	paths, err := parseProcCgroup(cgroupFile, data)
	if err != nil {
		return Cgroup{}, err
	}
	if len(paths) == 0 {
		return Cgroup{}, nil
	}
	data, err = os.ReadFile(mountinfoFile)
	if errors.Is(err, fs.ErrNotExist) {
		return Cgroup{}, nil
	}
	if err != nil {
		return Cgroup{}, fmt.Errorf("find cgroup: %w", err)
	}
	dirs, err := parseMountinfo(mountinfoFile, data, paths)
	if err != nil {
		return Cgroup{}, err
	}
	return Cgroup{
		Unified: dirs[""],
		Memory:  dirs["memory"],
		CPU:     dirs["cpu"],
		CPUAcct: dirs["cpuacct"],
	}, nil
}

// parseProcCgroup parses /proc/self/cgroup (see cgroups(7)), lines of
// "hierarchy-ID:controller-list:cgroup-path", and returns the cgroup path
// of each controller a Cgroup has a field for, and of the v2 hierarchy
// under the key "".
func parseProcCgroup(name string, data []byte) (map[string]string, error) {
	paths := make(map[string]string)
	for line := range strings.Lines(string(data)) {
		line = strings.TrimRight(line, "\n")
		if line == "" {
			continue
		}
		id, rest, ok1 := strings.Cut(line, ":")
		ctrls, p, ok2 := strings.Cut(rest, ":")
		if !ok1 || !ok2 || id == "" || !strings.HasPrefix(p, "/") {
			return nil, malformed(name, line)
		}
		if id == "0" && ctrls == "" {
			paths[""] = p
			continue
		}
		for c := range strings.SplitSeq(ctrls, ",") {
			for _, want := range v1Controllers {
				if c == want {
					paths[c] = p
				}
			}
		}
	}
	return paths, nil
}

// parseMountinfo parses /proc/self/mountinfo (see proc_pid_mountinfo(5))
// and returns, for each key of paths ("" for v2, or a v1 controller), the
// directory where that cgroup path is visible: the mount point of the
// first cgroup2 (or, for a controller, cgroup with it in its super
// options) filesystem whose root contains the path, joined with the path
// relative to that root.
func parseMountinfo(name string, data []byte, paths map[string]string) (map[string]string, error) {
	dirs := make(map[string]string, len(paths))
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		// 36 35 98:0 /root /mnt rw,noatime master:1 - cgroup cgroup rw,memory
		pre, post, ok := strings.Cut(line, " - ")
		f := strings.Fields(pre)
		g := strings.Fields(post)
		if !ok || len(f) < 5 || len(g) < 1 {
			return nil, malformed(name, line)
		}
		fstype := g[0]
		if fstype != "cgroup2" && fstype != "cgroup" {
			continue
		}
		root, err1 := unescapeMountPath(f[3])
		mnt, err2 := unescapeMountPath(f[4])
		if err1 != nil || err2 != nil || !strings.HasPrefix(root, "/") {
			return nil, malformed(name, line)
		}
		var keys []string
		if fstype == "cgroup2" {
			keys = []string{""}
		} else if len(g) >= 3 {
			for opt := range strings.SplitSeq(g[2], ",") {
				keys = append(keys, opt)
			}
		}
		for _, k := range keys {
			p, want := paths[k]
			if _, done := dirs[k]; !want || done {
				continue
			}
			if rel, ok := relCgroupPath(p, root); ok {
				dirs[k] = filepath.Join(mnt, filepath.FromSlash(rel))
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("find cgroup: %s: %w", name, err)
	}
	return dirs, nil
}

// relCgroupPath returns the cgroup path p relative to a mount's root, and
// false if the mount does not show p: p is outside root, or outside the
// process's cgroup namespace ("/.." in /proc/self/cgroup).
func relCgroupPath(p, root string) (string, bool) {
	var rel string
	switch {
	case root == "/":
		rel = p
	case p == root:
		rel = "/"
	case strings.HasPrefix(p, root+"/"):
		rel = p[len(root):]
	default:
		return "", false
	}
	if rel == "/.." || strings.HasPrefix(rel, "/../") {
		return "", false
	}
	return path.Clean(rel), true
}

// unescapeMountPath undoes the octal escapes (\040 for a space, \011,
// \012, \134) with which the kernel writes paths in mountinfo.
func unescapeMountPath(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+4 > len(s) {
			return "", errors.New("short escape")
		}
		v := 0
		for _, c := range []byte(s[i+1 : i+4]) {
			if c < '0' || c > '7' {
				return "", errors.New("bad escape")
			}
			v = v*8 + int(c-'0')
		}
		if v > 0xff {
			return "", errors.New("bad escape")
		}
		b.WriteByte(byte(v))
		i += 3
	}
	return b.String(), nil
}
