package testenv

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// StillRunning starts the error core reports for a run it has abandoned
// at its timeout.
const StillRunning = "core: check still running after "

// hangThreshold is the failure threshold of HangInHealth's check.
const hangThreshold = 2

// HangInHealth runs chk as the only check ("dep") of a started core.Health,
// with the given timeout and half of it as interval, and stages a hang of
// its dependency the way users see it: readiness passes; once hang() makes
// chk hang, it turns 503 after two failures with a check error starting
// wantErr, and a probe sent while the run hangs is answered at once; after
// restore() it passes again. It returns the check's state while failing.
func HangInHealth(t testing.TB, chk core.Checker, timeout time.Duration, hang, restore func(), wantErr string) core.CheckState {
	t.Helper()
	h := NewHealth(t, core.WithDetails(true), core.WithCheck("dep", chk, core.Interval(timeout/2),
		core.Timeout(timeout), core.FailureThreshold(hangThreshold), core.Jitter(0)))
	if err := h.Start(context.Background()); err != nil {
		t.Fatalf("Start() = %v; want nil", err)
	}
	waitReadiness(t, h, core.StatusHealthy, "")

	hang()
	st := waitReadiness(t, h, core.StatusUnhealthy, wantErr)
	if st.ConsecutiveFailures < hangThreshold {
		t.Errorf("ConsecutiveFailures = %d once unhealthy; want at least %d", st.ConsecutiveFailures, hangThreshold)
	}
	// The run hangs until restore(): a probe that waited for it would
	// never be answered.
	rec := httptest.NewRecorder()
	probehttp.Serve(h, rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), wantErr) {
		t.Errorf("GET /readyz while the check hangs = %d %s; want 503 naming %q", rec.Code, rec.Body, wantErr)
	}

	restore()
	waitReadiness(t, h, core.StatusHealthy, "")
	return st
}

// waitReadiness waits until h's readiness is want and its check's error
// starts with wantErr (is empty, if wantErr is), and returns the check's
// state.
func waitReadiness(t testing.TB, h *core.Health, want core.Status, wantErr string) core.CheckState {
	t.Helper()
	var st core.CheckState
	Eventually(t, CheckTimeout, func() error {
		st = h.Checks()[0]
		got := h.Status(core.Readiness)
		if got != want || !strings.HasPrefix(st.Err, wantErr) || (wantErr == "" && st.Err != "") {
			return fmt.Errorf("readiness = %v, check error %q; want %v, %q", got, st.Err, want, wantErr)
		}
		return nil
	})
	return st
}
