//go:build unix

package testenv

import (
	"os"
	"syscall"
)

// pauseSignal and resumeSignal freeze and thaw a process.
var (
	pauseSignal  os.Signal = syscall.SIGSTOP
	resumeSignal os.Signal = syscall.SIGCONT
)
