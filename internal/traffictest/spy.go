package traffictest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/testenv"
)

// Spy is a Recorder that also notes every status code it is given,
// through its FailureFunc, so that a test can compare the recorded codes
// with the ones the client got.
type Spy struct {
	// Recorder counts 5xx codes as failures, as by default, and reports
	// every code to the Spy. Hand it to the middleware under test.
	Recorder *trafficcheck.Recorder

	mu    sync.Mutex
	codes []int
}

// NewSpy returns a Spy with a new Recorder. In a testing/synctest bubble,
// call it inside the bubble, so that the Recorder runs on its clock.
func NewSpy() *Spy {
	s := new(Spy)
	s.Recorder = trafficcheck.NewRecorder(trafficcheck.FailureFunc(func(code int) bool {
		s.mu.Lock()
		s.codes = append(s.codes, code)
		s.mu.Unlock()
		return trafficcheck.ServerError(code)
	}))
	return s
}

// Recorded returns the codes noted so far, in order.
func (s *Spy) Recorded() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.codes)
}

// Want checks that s.Recorder holds exactly the requests answered with
// wantCodes (5xx counted as failures) and that those were the codes noted,
// in order. It waits until the Recorder holds len(wantCodes) requests
// first: a middleware records a request when the chain returns, which a
// client that got its answer may see a moment later.
func (s *Spy) Want(t testing.TB, wantCodes ...int) {
	t.Helper()
	testenv.Eventually(t, 10*time.Second, func() error {
		if n := s.Recorder.Stats(time.Hour, 100).Requests; n < len(wantCodes) {
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
	st := s.Recorder.Stats(time.Hour, 100)
	if st.Requests != len(wantCodes) || st.Failures != wantFailures {
		t.Errorf("Stats() = %d requests, %d failures; want %d, %d", st.Requests, st.Failures, len(wantCodes), wantFailures)
	}
	if got := s.Recorded(); !slices.Equal(got, wantCodes) {
		t.Errorf("codes recorded = %v; want %v", got, wantCodes)
	}
}
