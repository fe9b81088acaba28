package syscheck_test

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/probekit/probekit/core/checks/syscheck"
)

func TestGoroutinesConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		give    syscheck.GoroutinesConfig
		wantErr string
	}{
		{name: "zero value", give: syscheck.GoroutinesConfig{}},
		{name: "both", give: syscheck.GoroutinesConfig{Warn: 100, Critical: 1000}},
		{name: "equal", give: syscheck.GoroutinesConfig{Warn: 100, Critical: 100}},
		{name: "warn only, below default critical", give: syscheck.GoroutinesConfig{Warn: 50_000}},
		{name: "warn above default critical", give: syscheck.GoroutinesConfig{Warn: 200_000}, wantErr: "syscheck: goroutines: Warn 200000 is above Critical 100000"},
		{name: "critical below default warn", give: syscheck.GoroutinesConfig{Critical: 5000}, wantErr: "Warn 10000 is above Critical 5000"},
		{name: "negative warn", give: syscheck.GoroutinesConfig{Warn: -1}, wantErr: "Warn -1 must be positive"},
		{name: "negative critical", give: syscheck.GoroutinesConfig{Warn: 1, Critical: -1}, wantErr: "Critical -1 must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := syscheck.Goroutines(tt.give)
			checkConfigErr(t, "Goroutines", tt.give, c != nil, err, tt.wantErr)
		})
	}
}

// TestGoroutinesThresholds starts real goroutines to cross the thresholds.
// It does not run in parallel with other tests, whose goroutines would
// count too; the thresholds leave a margin of 50 for the test framework's.
func TestGoroutinesThresholds(t *testing.T) {
	base := runtime.NumGoroutine()
	warn, crit := base+100, base+200
	tests := []struct {
		name  string
		spawn int
		want  wantLevel
	}{
		{name: "below warning", spawn: 50, want: wantPass},
		{name: "between", spawn: 150, want: wantWarn},
		{name: "above critical", spawn: 250, want: wantFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := syscheck.Goroutines(syscheck.GoroutinesConfig{Warn: warn, Critical: crit})
			if err != nil {
				t.Fatal(err)
			}
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for range tt.spawn {
				wg.Go(func() { <-stop })
			}
			err = c.Check(context.Background())
			close(stop)
			wg.Wait()

			if got := levelOf(err); got != tt.want {
				t.Fatalf("Check() with %d more goroutines = %v (%v); want %v", tt.spawn, err, got, tt.want)
			}
			n, ok := observed(c.Observations(), "goroutines")
			if !ok || n < float64(base+tt.spawn-50) || n > float64(base+tt.spawn+50) {
				t.Errorf("goroutines = %v; want %d ± 50", n, base+tt.spawn)
			}
			if err == nil {
				return
			}
			if !errors.Is(err, syscheck.ErrThreshold) {
				t.Errorf("Check() = %v; want it to wrap ErrThreshold", err)
			}
			want := strconv.Itoa(int(n)) + " goroutines, above the warning " + strconv.Itoa(warn)
			if tt.want == wantFail {
				want = strconv.Itoa(int(n)) + " goroutines, above the critical " + strconv.Itoa(crit)
			}
			if got := err.Error(); got != "syscheck: goroutines: "+want {
				t.Errorf("Check() = %q; want %q", got, "syscheck: goroutines: "+want)
			}
		})
	}
}

// TestGoroutinesReal counts this process's goroutines with the defaults.
func TestGoroutinesReal(t *testing.T) {
	t.Parallel()
	c, err := syscheck.Goroutines(syscheck.GoroutinesConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check() = %v; want nil", err)
	}
	n, _ := observed(c.Observations(), "goroutines")
	t.Logf("goroutines: %v", n)
	if n < 2 || n > 10_000 {
		t.Errorf("goroutines = %v; want between 2 (this test and the main one) and 10000", n)
	}
}

func TestGoroutinesCanceled(t *testing.T) {
	t.Parallel()
	c, err := syscheck.Goroutines(syscheck.GoroutinesConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Check(ctx); !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "syscheck: goroutines: ") {
		t.Errorf("Check(canceled) = %v; want an error wrapping context.Canceled", err)
	}
}
