package faultmatrix

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/probekit/probekit/core"
)

// logSink is a slog.Handler that keeps every record, for the rows to count
// the transitions core logs. It is safe for concurrent use.
type logSink struct {
	mu    sync.Mutex
	recs  []logRecord
	attrs []slog.Attr // from WithAttrs, shared by the handlers it returns
	root  *logSink    // where records go; the sink itself if nil
}

// logRecord is one kept record, its attributes as text.
type logRecord struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

// String formats a transition record as "check redis ok->unhealthy"
// or "probe readiness ok->unhealthy", and any other record as its
// level and message.
func (r logRecord) String() string {
	switch r.msg {
	case "health check status changed":
		return fmt.Sprintf("check %s %s->%s", r.attrs["check"], r.attrs["from"], r.attrs["to"])
	case "health probe status changed":
		return fmt.Sprintf("probe %s %s->%s", r.attrs["probe"], r.attrs["from"], r.attrs["to"])
	}
	return fmt.Sprintf("%s %q %v", r.level, r.msg, r.attrs)
}

// transition reports whether r logs a status transition.
func (r logRecord) transition() bool {
	return r.msg == "health check status changed" || r.msg == "health probe status changed"
}

func (s *logSink) Enabled(context.Context, slog.Level) bool { return true }

func (s *logSink) Handle(_ context.Context, r slog.Record) error {
	rec := logRecord{level: r.Level, msg: r.Message, attrs: make(map[string]string)}
	for _, a := range s.attrs {
		rec.attrs[a.Key] = a.Value.String()
	}
	r.Attrs(func(a slog.Attr) bool {
		rec.attrs[a.Key] = a.Value.String()
		return true
	})
	root := s.sink()
	root.mu.Lock()
	root.recs = append(root.recs, rec)
	root.mu.Unlock()
	return nil
}

func (s *logSink) WithAttrs(as []slog.Attr) slog.Handler {
	return &logSink{attrs: append(append([]slog.Attr(nil), s.attrs...), as...), root: s.sink()}
}

// WithGroup ignores the group: core logs flat records.
func (s *logSink) WithGroup(string) slog.Handler { return s }

func (s *logSink) sink() *logSink {
	if s.root != nil {
		return s.root
	}
	return s
}

// len returns how many records have been kept.
func (s *logSink) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.recs)
}

// transitions returns the transition records kept from index from on, as
// text (see logRecord.String), and the other records at Warn or above.
func (s *logSink) transitions(from int) (trans []string, other []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.recs[from:] {
		switch {
		case r.transition():
			trans = append(trans, r.String())
		case r.level >= slog.LevelWarn:
			other = append(other, r.String())
		}
	}
	return trans, other
}

// resultLog keeps the check's state after each of its results, as
// core.Health.ListenResults reports them. It is safe for concurrent use.
type resultLog struct {
	mu  sync.Mutex
	all []core.CheckState
}

func (l *resultLog) add(st core.CheckState) {
	l.mu.Lock()
	l.all = append(l.all, st)
	l.mu.Unlock()
}

// since returns the results recorded after t.
func (l *resultLog) since(t time.Time) []core.CheckState {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []core.CheckState
	for _, st := range l.all {
		if st.Checked.After(t) {
			out = append(out, st)
		}
	}
	return out
}

// failed counts the failed results in sts, those recorded by t if t is not
// zero.
func failed(sts []core.CheckState, by time.Time) int {
	n := 0
	for _, st := range sts {
		if isFailure(st) && (by.IsZero() || !st.Checked.After(by)) {
			n++
		}
	}
	return n
}

// isFailure reports whether st is the state after a failed result: the
// check's consecutive failures are counted from it.
func isFailure(st core.CheckState) bool { return st.ConsecutiveFailures > 0 }

// longestFailureRun returns the most consecutive failures in sts.
func longestFailureRun(sts []core.CheckState) int {
	n := 0
	for _, st := range sts {
		n = max(n, st.ConsecutiveFailures)
	}
	return n
}
