package testenv

import (
	"bytes"
	"fmt"
	"os"
	"syscall"
)

// sysProcAttr makes the kernel kill a test-owned server when the test binary
// dies without running its cleanups (a -timeout panic, a SIGKILL), so no
// server outlives its test.
//
// Pdeathsig fires when the OS thread that started the child exits, not the
// process. The Go runtime only ends a thread when a goroutine exits while
// locked to it with runtime.LockOSThread, which nothing here does.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// processStopped reports whether the process pid is stopped by a signal
// (state T in /proc/pid/stat), so that Pause and Resume return only once the
// signal has taken effect.
func processStopped(pid int) (bool, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false, err
	}
	// The state follows the command name, which is in parentheses and may
	// itself contain spaces and parentheses: "pid (comm) S ...".
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 >= len(b) {
		return false, fmt.Errorf("testenv: malformed /proc/%d/stat", pid)
	}
	return b[i+2] == 'T', nil
}
