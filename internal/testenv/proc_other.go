//go:build !unix

package testenv

import "os"

// pauseSignal and resumeSignal are nil where a process cannot be frozen;
// [RedisServer.Pause] then reports the test dependency as unavailable.
var (
	pauseSignal  os.Signal
	resumeSignal os.Signal
)
