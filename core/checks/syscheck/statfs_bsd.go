//go:build darwin || freebsd

package syscheck

import (
	"io/fs"
	"syscall"
)

// statfs returns the bytes available to unprivileged users on the
// filesystem holding path, and its size. On FreeBSD f_bavail goes
// negative once the blocks reserved for root are in use; that is no
// space at all.
func statfs(path string) (avail, size uint64, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, 0, &fs.PathError{Op: "statfs", Path: path, Err: err}
	}
	unit := uint64(st.Bsize)
	return uint64(max(int64(st.Bavail), 0)) * unit, uint64(st.Blocks) * unit, nil
}
