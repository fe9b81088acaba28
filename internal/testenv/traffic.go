package testenv

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/probekit/probekit/core/checks/trafficcheck"
)

// TrafficSpy notes every status code a trafficcheck.Recorder is given,
// through its FailureFunc, so that an adapter's Traffic test can compare
// the recorded code with the one the client got. The zero value is ready.
type TrafficSpy struct {
	mu    sync.Mutex
	codes []int
}

// NewRecorder returns a Recorder with the default failures (5xx) whose
// codes s notes.
func (s *TrafficSpy) NewRecorder() *trafficcheck.Recorder {
	return trafficcheck.NewRecorder(trafficcheck.FailureFunc(func(code int) bool {
		s.mu.Lock()
		s.codes = append(s.codes, code)
		s.mu.Unlock()
		return trafficcheck.ServerError(code)
	}))
}

// Recorded returns the codes noted so far, in order.
func (s *TrafficSpy) Recorded() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.codes)
}

// WantRecorded checks that rec holds exactly the requests answered with
// wantCodes (5xx counted as failures) and that those were the codes spy
// noted, in order. It waits until rec holds len(wantCodes) requests first:
// a middleware records a request when the chain returns, which a client
// that got its answer may see a moment later.
func WantRecorded(t testing.TB, rec *trafficcheck.Recorder, spy *TrafficSpy, wantCodes ...int) {
	t.Helper()
	Eventually(t, 10*time.Second, func() error {
		if n := rec.Stats(time.Hour, 100).Requests; n < len(wantCodes) {
			return fmt.Errorf("%d requests recorded; want %d", n, len(wantCodes))
		}
		return nil
	})
	wantFailures := 0
	for _, c := range wantCodes {
		if trafficcheck.ServerError(c) {
			wantFailures++
		}
	}
	st := rec.Stats(time.Hour, 100)
	if st.Requests != len(wantCodes) || st.Failures != wantFailures {
		t.Errorf("Stats() = %d requests, %d failures; want %d, %d", st.Requests, st.Failures, len(wantCodes), wantFailures)
	}
	if got := spy.Recorded(); !slices.Equal(got, wantCodes) {
		t.Errorf("codes recorded = %v; want %v", got, wantCodes)
	}
}
