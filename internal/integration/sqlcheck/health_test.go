package sqlcheck_test

import (
	"testing"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// healthTimeout is the check timeout of the hang tests' Health.
const healthTimeout = 100 * time.Millisecond

const stillRunning = testenv.StillRunning

// assertHangInHealth is testenv.HangInHealth with this package's timeout.
func assertHangInHealth(t *testing.T, chk core.Checker, hang, restore func(), wantErr string) core.CheckState {
	t.Helper()
	return testenv.HangInHealth(t, chk, healthTimeout, hang, restore, wantErr)
}
