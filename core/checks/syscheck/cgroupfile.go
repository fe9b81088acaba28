package syscheck

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// unlimited is where a cgroup limit stops meaning anything: cgroup v1
// shows "no limit" as the largest page-aligned int64
// (9223372036854771712 with 4 KiB pages), and no machine has 4 EiB.
const unlimited = 1 << 62

// Marker files, present in every cgroup directory of their version. A
// limit is looked for in a cgroup's ancestors as long as the parent
// directory has one, which stops the walk at the hierarchy's mount point
// (or at the root of the cgroup namespace).
const (
	markerV1 = "cgroup.procs"
	markerV2 = "cgroup.controllers"
)

// readSmall reads a cgroup or /proc file. It returns false, and no error,
// if the file does not exist.
func readSmall(name string) (string, bool, error) {
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return string(b), true, nil
}

// requireDir returns an error if the cgroup directory dir does not exist,
// so that a misconfigured [Cgroup] is reported rather than taken for a
// cgroup without limits.
func requireDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("cgroup directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("cgroup directory %s: not a directory", dir)
	}
	return nil
}

// parseUint parses a file that holds one unsigned number.
func parseUint(name, content string) (uint64, error) {
	v, err := strconv.ParseUint(strings.TrimSpace(content), 10, 64)
	if err != nil {
		return 0, malformed(name, content)
	}
	return v, nil
}

// parseLimit parses a file that holds a limit: a number, or "max" (v2) or
// a negative number or a value of at least 2^62 (v1) for no limit.
func parseLimit(name, content string) (v uint64, limited bool, err error) {
	s := strings.TrimSpace(content)
	if s == "max" {
		return 0, false, nil
	}
	if strings.HasPrefix(s, "-") {
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			return 0, false, malformed(name, content)
		}
		return 0, false, nil
	}
	v, err = parseUint(name, content)
	if err != nil {
		return 0, false, err
	}
	return v, v < unlimited, nil
}

// keyedValue returns the value of key in a flat-keyed file of "key value"
// lines, such as memory.stat or cpu.stat, and false if key is absent.
func keyedValue(name, content, key string) (uint64, bool, error) {
	for line := range strings.Lines(content) {
		k, v, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok || k != key {
			continue
		}
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return 0, false, malformed(name, strings.TrimSpace(line))
		}
		return n, true, nil
	}
	return 0, false, nil
}

// minLimit returns the smallest limit read by read in dir and in its
// ancestors that are cgroups too (their directory has marker): a child
// cgroup can never use more than its parent allows. It returns false if
// none of them has a limit.
func minLimit(dir, marker string, read func(dir string) (float64, bool, error)) (float64, bool, error) {
	if err := requireDir(dir); err != nil {
		return 0, false, err
	}
	best, found := math.Inf(1), false
	for d := filepath.Clean(dir); ; {
		v, ok, err := read(d)
		if err != nil {
			return 0, false, err
		}
		if ok && v < best {
			best, found = v, true
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		if _, err := os.Stat(filepath.Join(parent, marker)); err != nil {
			break
		}
		d = parent
	}
	if !found {
		return 0, false, nil
	}
	return best, true, nil
}

// missing is the error for a file that a cgroup directory must have.
func missing(name string) error {
	return fmt.Errorf("%s: %w", name, fs.ErrNotExist)
}
