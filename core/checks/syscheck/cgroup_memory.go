package syscheck

import "path/filepath"

// memoryLimit returns the cgroup's memory limit in bytes (memory.max, or
// v1 memory.limit_in_bytes, the smallest along its ancestors), and false
// if it has none or there is no memory controller.
func (c Cgroup) memoryLimit() (uint64, bool, error) {
	dir, file, marker := c.Unified, "memory.max", markerV2
	if c.Memory != "" {
		dir, file, marker = c.Memory, "memory.limit_in_bytes", markerV1
	}
	if dir == "" {
		return 0, false, nil
	}
	v, ok, err := minLimit(dir, marker, func(d string) (float64, bool, error) {
		name := filepath.Join(d, file)
		s, exists, err := readSmall(name)
		if err != nil || !exists { // the root cgroup has no limit file
			return 0, false, err
		}
		n, limited, err := parseLimit(name, s)
		return float64(n), limited, err
	})
	return uint64(v), ok, err
}

// memoryWorkingSet returns the cgroup's working set in bytes: its memory
// usage (memory.current, or v1 memory.usage_in_bytes) less its inactive
// file-backed pages (inactive_file, or v1 total_inactive_file, in
// memory.stat), the page cache the kernel reclaims before it runs out.
// This is what the kubelet reports as container_memory_working_set_bytes
// and evicts on. It wraps ErrNoCgroup if there is no memory controller.
func (c Cgroup) memoryWorkingSet() (uint64, error) {
	dir, usageFile, inactiveKey := c.Unified, "memory.current", "inactive_file"
	if c.Memory != "" {
		dir, usageFile, inactiveKey = c.Memory, "memory.usage_in_bytes", "total_inactive_file"
	}
	if dir == "" {
		return 0, &detailError{text: "no cgroup memory controller", sentinel: ErrNoCgroup}
	}
	if err := requireDir(dir); err != nil {
		return 0, err
	}
	name := filepath.Join(dir, usageFile)
	s, ok, err := readSmall(name)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, &detailError{text: "no cgroup memory controller: " + name + " does not exist", sentinel: ErrNoCgroup}
	}
	usage, err := parseUint(name, s)
	if err != nil {
		return 0, err
	}
	name = filepath.Join(dir, "memory.stat")
	s, ok, err = readSmall(name)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, missing(name)
	}
	inactive, _, err := keyedValue(name, s, inactiveKey)
	if err != nil {
		return 0, err
	}
	if inactive > usage {
		return 0, nil
	}
	return usage - inactive, nil
}
