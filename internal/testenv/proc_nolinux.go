//go:build !linux

package testenv

import (
	"errors"
	"syscall"
)

// sysProcAttr returns nil: only Linux can tie a child's life to its parent.
func sysProcAttr() *syscall.SysProcAttr { return nil }

// processStopped cannot tell outside Linux; Pause and Resume then return as
// soon as the signal is sent.
func processStopped(pid int) (bool, error) { return false, errors.ErrUnsupported }
