package core_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
)

func readStatus(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return "missing"
	}
	var v struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("status file holds invalid JSON %q: %v", b, err)
	}
	return v.Status
}

// eventually polls cond every millisecond for up to 10s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 10s: %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestStatusFileFollowsReadiness(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ready.json")
	chk := &switchable{}
	h := mustNew(t, core.WithCheck("db", chk, core.Interval(10*time.Millisecond), core.FailureThreshold(1)),
		core.WithStatusFile(path), core.WithLogger(nil))
	if got := readStatus(t, path); got != "missing" {
		t.Fatalf("status file before Start: %s; want none", got)
	}
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	eventually(t, "status file says ok", func() bool { return readStatus(t, path) == "ok" })
	if err := core.CheckStatusFile(path); err != nil {
		t.Errorf("CheckStatusFile() while ok = %v; want nil", err)
	}
	chk.set(errDown)
	eventually(t, "status file says unhealthy", func() bool { return readStatus(t, path) == "unhealthy" })
	if err := core.CheckStatusFile(path); !errors.Is(err, core.ErrNotReady) {
		t.Errorf("CheckStatusFile() while unhealthy = %v; want ErrNotReady", err)
	}
	b, _ := os.ReadFile(path)
	if !json.Valid(b) || !strings.Contains(string(b), `"error":"connection refused"`) {
		t.Errorf("status file = %s; want the readiness JSON with details", b)
	}
	chk.set(nil)
	eventually(t, "status file says ok again", func() bool { return readStatus(t, path) == "ok" })
	h.Drain()
	eventually(t, "status file says draining", func() bool { return readStatus(t, path) == "draining" })
	_ = h.Close()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("status file after Close: %v; want it removed", err)
	}
	if err := core.CheckStatusFile(path); err == nil {
		t.Error("CheckStatusFile() after Close = nil; want an error")
	}
	// No temporary files left behind.
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestStatusFileNeverPartial(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ready.json")
	h := mustNew(t, core.WithStatusFile(path), core.WithLogger(nil))
	// Holds with long reasons make a file of several kilobytes.
	for i := range 30 {
		_ = h.Hold(fmt.Sprintf("hold-%d", i), strings.Repeat("a long reason ", 50))
	}
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	var reads, bad atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				b, err := os.ReadFile(path)
				if err != nil {
					bad.Add(1)
					continue
				}
				reads.Add(1)
				if !json.Valid(b) {
					bad.Add(1)
				}
			}
		}()
	}
	// Flip readiness as fast as the writer can follow.
	for i := range 200 {
		if i%2 == 0 {
			h.Drain()
		} else {
			h.Resume()
		}
	}
	eventually(t, "the last state written", func() bool { return readStatus(t, path) == "unhealthy" })
	eventually(t, "the readers to have read", func() bool { return reads.Load() > 0 })
	close(stop)
	wg.Wait()
	if bad.Load() != 0 || reads.Load() == 0 {
		t.Errorf("%d of %d reads saw a missing or partial file; want 0", bad.Load(), reads.Load())
	}
}

func TestStatusFileWriteErrorIsLogged(t *testing.T) {
	t.Parallel()
	sink := &logSink{}
	h := mustNew(t, core.WithStatusFile(filepath.Join(t.TempDir(), "no", "such", "dir", "ready.json")), core.WithLogger(slog.New(sink)))
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range sink.lines() {
		if strings.Contains(l, "health status file not written") {
			found = true
		}
	}
	if !found {
		t.Error("a status file that cannot be written was not logged")
	}
}
