//go:build linux

package syscheck

import (
	"io/fs"
	"syscall"
)

// statfs returns the bytes available to unprivileged users on the
// filesystem holding path, and its size. Block counts are in units of
// f_frsize (statfs(2)), which is f_bsize on every common filesystem.
func statfs(path string) (avail, size uint64, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, 0, &fs.PathError{Op: "statfs", Path: path, Err: err}
	}
	unit := uint64(st.Frsize)
	if unit == 0 {
		unit = uint64(st.Bsize)
	}
	return st.Bavail * unit, st.Blocks * unit, nil
}
