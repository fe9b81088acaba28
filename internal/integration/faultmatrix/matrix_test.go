package faultmatrix

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestFaultMatrix runs every fault against every dependency, one row at a
// time (each row counts the process's goroutines), and prints the matrix;
// with PROBEKIT_MATRIX_OUT set it also writes it to that file.
func TestFaultMatrix(t *testing.T) {
	var rows []*row
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			group := make([]*row, len(faults))
			for i, f := range faults {
				name := f.name
				if f.timeout > 0 {
					name += fmt.Sprintf(" (timeout %v)", f.timeout)
				}
				group[i] = &row{dep: k.name, fault: name, fails: f.fails, state: "skipped: " + k.name + " unavailable"}
			}
			rows = append(rows, group...)
			target := k.setup(t)
			for i, f := range faults {
				r := group[i]
				r.state = "not run"
				t.Run(f.name, func(t *testing.T) {
					defer func() {
						r.state = "ok"
						if t.Failed() {
							r.state = "FAILED"
						}
					}()
					runRow(t, k, target, f, r)
					t.Logf("%s, %s: %s; first failure: %q", k.name, f.name, r.elapsed.Round(time.Millisecond), r.firstErr)
				})
			}
		})
	}
	table := matrixTable(rows)
	t.Log("\n" + table)
	if path := os.Getenv("PROBEKIT_MATRIX_OUT"); path != "" {
		if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
			t.Errorf("write the matrix to PROBEKIT_MATRIX_OUT: %v", err)
		}
	}
}

// matrixTable renders rows as a Markdown table, with the settings above it.
func matrixTable(rows []*row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Check: interval %v, timeout %v, failure threshold %d, max backoff %v, jitter %v. "+
		"Probes: %d /readyz + /healthz pairs per poll, each pair to the next of six HTTP adapters (net/http, Gin, Echo v4, Echo v5, Fiber v2, Fiber v3); handler max: the first four. Goroutines: process-wide.\n\n",
		checkInterval, checkTimeout, failureThreshold, maxBackoff, jitter, probeBurst)
	b.WriteString("| dependency | fault | time to 503 | failed runs at 503 | recovery | probe p99 | probe max | handler max | goroutines before/after | goroutines healthy/peak/recovered |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range rows {
		if r.state != "ok" && r.state != "FAILED" {
			fmt.Fprintf(&b, "| %s | %s | %s | | | | | | | |\n", r.dep, r.fault, r.state)
			continue
		}
		to503, failedAt, recovery := "—", "", "—"
		if r.fails {
			to503, failedAt, recovery = ms(r.to503), fmt.Sprint(r.failedAt503), ms(r.recovery)
		} else {
			to503 = "200 throughout"
			failedAt = fmt.Sprintf("none: %d of %d runs failed, at most %d in a row", r.failures, r.runs, r.longestRun)
		}
		if r.state == "FAILED" {
			to503 = "**FAILED** " + to503
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %d/%d | %d/%d/%d |\n",
			r.dep, r.fault, to503, failedAt, recovery, ms(r.p99), ms(r.max), ms(r.handlerMax),
			r.gBefore, r.gAfter, r.gHealthy, r.gPeak, r.gRecovered)
	}
	return b.String()
}

// ms formats d in milliseconds, with two decimals below 1 ms.
func ms(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}
