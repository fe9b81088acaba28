//go:build !linux && !darwin && !freebsd

package syscheck

import (
	"errors"
	"io/fs"
)

// statfs is not implemented here: [DiskChecker.Check] fails with an error
// wrapping errors.ErrUnsupported.
func statfs(path string) (avail, size uint64, err error) {
	return 0, 0, &fs.PathError{Op: "statfs", Path: path, Err: errors.ErrUnsupported}
}
