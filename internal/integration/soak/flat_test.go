package soak

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/probekit/probekit/internal/testenv"
)

// memSample is the process's live heap and goroutine count.
type memSample struct {
	heap       uint64 // bytes of live heap objects after two collections
	goroutines int
}

// sample collects garbage twice (sync.Pools keep their contents for one
// collection) and reads the heap and the goroutine count.
func sample() memSample {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memSample{heap: ms.HeapAlloc, goroutines: runtime.NumGoroutine()}
}

// settledSample samples once the goroutine count has stayed the same for
// five polls in a row, so that connections just closed have wound down.
func settledSample(t *testing.T) memSample {
	t.Helper()
	var s memSample
	last, same := -1, 0
	testenv.Eventually(t, 10*time.Second, func() error {
		s = sample()
		if s.goroutines == last {
			same++
		} else {
			last, same = s.goroutines, 0
		}
		if same < 4 {
			return fmt.Errorf("goroutine count still changing (%d)", s.goroutines)
		}
		return nil
	})
	return s
}

// sampleWithin samples until at most maxGoroutines run, for up to 10 s
// (connections just closed take a moment to wind down), and returns the
// last sample.
func sampleWithin(maxGoroutines int) memSample {
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		s := sample()
		if s.goroutines <= maxGoroutines || time.Now().After(deadline) {
			return s
		}
		<-tick.C
	}
}
