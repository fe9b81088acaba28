package main

import (
	"strings"
	"testing"
)

// The quick fault runs, checked for what must hold whatever the timing.
// (strings.Builder, not bytes.Buffer: the package declares a func bytes.)

func isProbekit(name string) bool { return strings.HasPrefix(name, "probekit") }

func TestHungQuick(t *testing.T) {
	rows, err := hung(true)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(Contenders) {
		t.Fatalf("%d rows, want one per contender (%d)", len(rows), len(Contenders))
	}
	for i, r := range rows {
		if r.Name != Contenders[i].Name {
			t.Errorf("row %d is %q, want %q", i, r.Name, Contenders[i].Name)
		}
		if got := r.OK + r.Unavailable + r.Other + r.NoAnswer; got != r.Probes || r.Probes != hungProbesQuick {
			t.Errorf("%s: %d answers of %d probes, want %d", r.Name, got, r.Probes, hungProbesQuick)
		}
		if !isProbekit(r.Name) {
			continue
		}
		if r.NoAnswer != 0 || r.Other != 0 {
			t.Errorf("%s: %d probes unanswered and %d answered neither 200 nor 503, want none", r.Name, r.NoAnswer, r.Other)
		}
		// runHung already polled up to 2 s for the count after stop.
		if r.GoroutinesAfter > r.GoroutinesBefore+2 {
			t.Errorf("%s: %d goroutines after stop, %d before the hang: leak", r.Name, r.GoroutinesAfter, r.GoroutinesBefore)
		}
	}
	var out strings.Builder
	if err := writeHung(&out, rows); err != nil {
		t.Fatal(err)
	}
	checkTable(t, out.String(), len(Contenders))
}

func TestStormQuick(t *testing.T) {
	rows, err := storm(true)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(Contenders) {
		t.Fatalf("%d rows, want one per contender (%d)", len(rows), len(Contenders))
	}
	for i, r := range rows {
		if r.Name != Contenders[i].Name {
			t.Errorf("row %d is %q, want %q", i, r.Name, Contenders[i].Name)
		}
		if r.Probes == 0 {
			t.Errorf("%s: no probe completed", r.Name)
		}
		if !isProbekit(r.Name) {
			continue
		}
		if r.DepCalls != 0 || r.CallsPer1000() != 0 {
			t.Errorf("%s: %d dependency calls during the storm (%.0f per 1000 probes), want 0", r.Name, r.DepCalls, r.CallsPer1000())
		}
		if r.NonOK != 0 {
			t.Errorf("%s: %d answers other than 200, want 0", r.Name, r.NonOK)
		}
	}
	var out strings.Builder
	if err := writeStorm(&out, rows, true); err != nil {
		t.Fatal(err)
	}
	checkTable(t, out.String(), len(Contenders))
}

func TestFlapQuick(t *testing.T) {
	rows, err := flap(true)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, c := range Contenders {
		want++
		if c.HasThreshold {
			want++
		}
	}
	if len(rows) != want {
		t.Fatalf("%d rows, want %d (one per contender, two where it has a threshold)", len(rows), want)
	}
	labels := map[string]bool{}
	for _, r := range rows {
		if labels[r.Label] {
			t.Errorf("label %q twice", r.Label)
		}
		labels[r.Label] = true
		if r.Probes == 0 {
			t.Errorf("%s: no probe", r.Label)
		}
		if !isProbekit(r.Name) {
			continue
		}
		// Threshold 0 is the default, which is 3 too.
		if r.Threshold == flapThreshold || (r.Threshold == 0 && defaultFailureThreshold >= 2) {
			if r.Unavailable != 0 || r.Other != 0 {
				t.Errorf("%s: %d answers 503 and %d other of %d probes, want all 200", r.Label, r.Unavailable, r.Other, r.Probes)
			}
		}
	}
	var out strings.Builder
	if err := writeFlap(&out, rows, true); err != nil {
		t.Fatal(err)
	}
	checkTable(t, out.String(), want)
}

// checkTable checks that out holds a Markdown table with a header, a
// separator and rows rows.
func checkTable(t *testing.T, out string, rows int) {
	t.Helper()
	n := 0
	for line := range strings.SplitSeq(out, "\n") {
		if strings.HasPrefix(line, "|") {
			n++
		}
	}
	if n != rows+2 {
		t.Errorf("table has %d lines, want %d rows + header + separator:\n%s", n, rows, out)
	}
	t.Logf("\n%s", out)
}
