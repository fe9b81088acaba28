package sqlcheck_test

import (
	"testing"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// Settings of the core.Health the hang tests run a checker in: short, so
// that a run stuck in its client is abandoned, and reported, at once. The
// interval is half the timeout: core marks a pass stale after 3 intervals
// and the timeout, which must not come before the grace after a hung
// run's timeout (a tenth of it).
const (
	healthTimeout   = 100 * time.Millisecond
	healthInterval  = healthTimeout / 2
	healthThreshold = 2 // consecutive failures that turn readiness 503
)

// stillRunning starts the error core reports for a run it abandoned at its
// timeout.
const stillRunning = testenv.StillRunning

// assertHangInHealth is testenv.HangInHealth with this package's timeout.
func assertHangInHealth(t *testing.T, chk core.Checker, hang, restore func(), wantErr string) core.CheckState {
	t.Helper()
	return testenv.HangInHealth(t, chk, healthTimeout, hang, restore, wantErr)
}
