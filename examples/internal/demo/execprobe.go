package demo

import (
	"fmt"
	"os"

	"github.com/probekit/probekit/core"
)

// execProbe answers `app -ready`, the command of a Kubernetes exec probe
// in an image that has nothing else to run: it reads the status file the
// running app writes at HEALTH_STATUS_FILE and exits 0 when it says ready,
// 1 when it does not or cannot be read. With any other arguments it
// returns and the app starts as usual.
func execProbe(args []string, getenv func(string) string) {
	if len(args) != 2 || args[1] != "-ready" {
		return
	}
	path := getenv("HEALTH_STATUS_FILE")
	if path == "" {
		fmt.Fprintln(os.Stderr, "-ready: HEALTH_STATUS_FILE is not set")
		os.Exit(1)
	}
	if err := core.CheckStatusFile(path); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}
