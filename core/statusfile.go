package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"github.com/probekit/probekit/core/internal/answer"
)

// WithStatusFile writes the readiness answer (the JSON of /readyz, with
// details) to path whenever readiness or a readiness check changes status,
// for Kubernetes exec probes in images where nothing else can probe. Each
// write goes to a temporary file in the same directory, then renames it
// over path, so a reader sees the old content or the new, never a part.
// The file is first written by [Health.Start] (status "starting") and
// removed by [Health.Close]; [CheckStatusFile] is the reader an exec probe
// runs. The environment variable HEALTH_STATUS_FILE sets it too (see
// [WithEnv]). Write failures are logged, once per distinct error.
func WithStatusFile(path string) Option {
	return optionFunc(func(c *config) { c.statusFile, c.statusFileSet = path, true })
}

// statusFile keeps the file at path in step with readiness. Its writes run
// on the listeners' goroutine (and once in Start), never on a probe.
type statusFile struct {
	h    *Health
	path string

	mu      sync.Mutex // serialises writes; guards lastErr
	lastErr string
}

// onEvent rewrites the file on transitions that concern readiness.
func (f *statusFile) onEvent(ev Event) {
	if ev.Probe&Readiness != 0 {
		f.write()
	}
}

// write puts the current readiness answer in place atomically.
func (f *statusFile) write() {
	f.mu.Lock()
	defer f.mu.Unlock()
	// What GET /readyz answers with details, as any client would get it.
	body := f.h.rt.respond(answer.Route{Probe: readyIdx, Check: -1}, &answer.Request{Method: http.MethodGet, Details: true}).Body()
	err := writeAtomic(f.path, body)
	f.report(err)
}

func (f *statusFile) report(err error) {
	text := ""
	if err != nil {
		text = err.Error()
	}
	if text == f.lastErr {
		return
	}
	f.lastErr = text
	if err != nil {
		f.h.logger.Error("health status file not written", "path", f.path, "err", err)
	} else {
		f.h.logger.Info("health status file written again", "path", f.path)
	}
}

// remove deletes the file: a stopped process is not ready.
func (f *statusFile) remove() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.Remove(f.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		f.h.logger.Error("health status file not removed", "path", f.path, "err", err)
	}
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("core: status file: %w", err)
	}
	name := tmp.Name()
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("core: status file: %w", err)
	}
	if err := os.Chmod(name, 0o644); err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("core: status file: %w", err)
	}
	if err := os.Rename(name, path); err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("core: status file: %w", err)
	}
	return nil
}

// ErrNotReady is returned by [CheckStatusFile] when the file says readiness
// is not passing.
var ErrNotReady = errors.New("core: not ready")

// CheckStatusFile reads a status file written by [WithStatusFile] and
// returns nil when it says the service is ready (status "ok" or
// "degraded"), an error wrapping [ErrNotReady] naming the status when it is
// not, and the read or parse error when the file is missing (the process
// has stopped, or never started) or unreadable. It is what an exec probe
// runs, from the app's own binary in a minimal image:
//
//	if len(os.Args) == 2 && os.Args[1] == "-ready" {
//		if err := core.CheckStatusFile("/tmp/ready.json"); err != nil {
//			fmt.Fprintln(os.Stderr, err)
//			os.Exit(1)
//		}
//		os.Exit(0)
//	}
func CheckStatusFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("core: status file: %w", err)
	}
	var v struct {
		Status Status `json:"status"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("core: status file %s: %w", path, err)
	}
	if !v.Status.Passing() {
		return fmt.Errorf("%w: readiness is %s", ErrNotReady, v.Status)
	}
	return nil
}
