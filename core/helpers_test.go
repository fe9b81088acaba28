package core_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// logSink is a slog.Handler that keeps every record, for asserting that a
// transition is logged exactly once.
type logSink struct {
	mu      sync.Mutex
	records []slog.Record
	block   chan struct{} // when non-nil, Handle waits for it to be closed
	blockOn string        // message that blocks
}

func (s *logSink) Enabled(context.Context, slog.Level) bool { return true }
func (s *logSink) WithAttrs([]slog.Attr) slog.Handler       { return s }
func (s *logSink) WithGroup(string) slog.Handler            { return s }
func (s *logSink) Handle(_ context.Context, r slog.Record) error {
	s.mu.Lock()
	s.records = append(s.records, r)
	block := s.block
	if r.Message != s.blockOn {
		block = nil
	}
	s.mu.Unlock()
	if block != nil {
		<-block
	}
	return nil
}

// lines renders the records as "msg k=v k=v" for comparison.
func (s *logSink) lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.records {
		var b strings.Builder
		b.WriteString(r.Message)
		r.Attrs(func(a slog.Attr) bool {
			b.WriteString(" " + a.Key + "=" + a.Value.String())
			return true
		})
		out = append(out, b.String())
	}
	return out
}

// transitions returns the logged status changes, without their error text.
func (s *logSink) transitions() []string {
	var out []string
	for _, l := range s.lines() {
		if strings.Contains(l, "status changed") {
			if i := strings.Index(l, " err="); i >= 0 {
				l = l[:i]
			}
			out = append(out, strings.TrimPrefix(strings.TrimPrefix(l, "health check status changed "), "health probe status changed "))
		}
	}
	return out
}

// switchable is a checker whose result the test sets. It counts runs.
type switchable struct {
	err  atomic.Pointer[error]
	runs atomic.Int64
}

func (s *switchable) set(err error) {
	if err == nil {
		s.err.Store(nil)
		return
	}
	s.err.Store(&err)
}

func (s *switchable) Check(context.Context) error {
	s.runs.Add(1)
	if p := s.err.Load(); p != nil {
		return *p
	}
	return nil
}

// get performs a request against the Health through the net/http adapter's
// core path and returns the recorded response.
func get(t testing.TB, h *core.Health, target string, hdr ...string) *http.Response {
	t.Helper()
	return do(t, h, http.MethodGet, target, hdr...)
}

func do(t testing.TB, h *core.Health, method, target string, hdr ...string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	resp := probehttp.Respond(h, probehttp.HTTPRequest(r))
	if resp == nil {
		t.Fatalf("Respond(%s %s) = nil; want a probe answer", method, target)
	}
	resp.WriteHTTP(w, method)
	return w.Result()
}

// body reads the response body as a string.
func body(t testing.TB, r *http.Response) string {
	t.Helper()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

// readiness is the decoded default JSON body.
type readiness struct {
	Status string `json:"status"`
	Checks map[string]struct {
		Status    string             `json:"status"`
		Duration  string             `json:"duration"`
		CheckedAt string             `json:"checked_at"`
		Failures  int                `json:"failures"`
		Critical  *bool              `json:"critical"`
		Error     string             `json:"error"`
		Observed  map[string]float64 `json:"observed"`
	} `json:"checks"`
	Holds map[string]struct {
		Reason string `json:"reason"`
	} `json:"holds"`
}

func decode(t testing.TB, r *http.Response) readiness {
	t.Helper()
	var v readiness
	if err := json.Unmarshal([]byte(body(t, r)), &v); err != nil {
		t.Fatalf("invalid JSON body: %v", err)
	}
	return v
}

func mustNew(t testing.TB, opts ...core.Option) *core.Health {
	t.Helper()
	h, err := core.New(opts...)
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	t.Cleanup(func() { _ = h.Close() })
	return h
}
