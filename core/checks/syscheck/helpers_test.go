package syscheck_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/syscheck"
)

// writeTree writes files, by path relative to dir, creating directories
// as needed, and returns dir.
func writeTree(t testing.TB, dir string, files map[string]string) string {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// fakeV2 returns a fresh cgroup v2 directory holding files, with the
// cgroup.controllers file every v2 cgroup has, and a Cgroup pointing at it.
func fakeV2(t testing.TB, files map[string]string) *syscheck.Cgroup {
	t.Helper()
	dir := writeTree(t, t.TempDir(), map[string]string{"cgroup.controllers": "cpuset cpu io memory pids\n"})
	writeTree(t, dir, files)
	return &syscheck.Cgroup{Unified: dir}
}

// fakeV1 returns fresh cgroup v1 memory, cpu and cpuacct directories
// holding files (keyed "memory/…", "cpu/…", "cpuacct/…"), each with the
// cgroup.procs file every v1 cgroup has, and a Cgroup pointing at them.
func fakeV1(t testing.TB, files map[string]string) *syscheck.Cgroup {
	t.Helper()
	dir := writeTree(t, t.TempDir(), map[string]string{
		"memory/cgroup.procs":  "1\n",
		"cpu/cgroup.procs":     "1\n",
		"cpuacct/cgroup.procs": "1\n",
	})
	writeTree(t, dir, files)
	return &syscheck.Cgroup{
		Memory:  filepath.Join(dir, "memory"),
		CPU:     filepath.Join(dir, "cpu"),
		CPUAcct: filepath.Join(dir, "cpuacct"),
	}
}

// observed returns the value of the observation called name, and whether
// there is one.
func observed(obs []core.Observation, name string) (float64, bool) {
	for _, o := range obs {
		if o.Name == name {
			return o.Value, true
		}
	}
	return 0, false
}

// wantLevel is the outcome a threshold test expects of Check.
type wantLevel int

const (
	wantPass wantLevel = iota
	wantWarn
	wantFail
)

func (w wantLevel) String() string {
	return [...]string{"pass", "warning", "failure"}[w]
}

// levelOf classifies Check's result.
func levelOf(err error) wantLevel {
	switch {
	case err == nil:
		return wantPass
	case core.IsWarning(err):
		return wantWarn
	}
	return wantFail
}

// wantThreshold fails the test unless err is of level want and, if it is
// not nil, wraps ErrThreshold and its text contains wantText (if not
// empty).
func wantThreshold(t testing.TB, err error, want wantLevel, wantText string) {
	t.Helper()
	if got := levelOf(err); got != want {
		t.Fatalf("Check() = %v (%v); want %v", err, got, want)
	}
	if err != nil && !errors.Is(err, syscheck.ErrThreshold) {
		t.Errorf("Check() = %v; want it to wrap ErrThreshold", err)
	}
	if wantText != "" && (err == nil || !strings.Contains(err.Error(), wantText)) {
		t.Errorf("Check() = %v; want text containing %q", err, wantText)
	}
}
