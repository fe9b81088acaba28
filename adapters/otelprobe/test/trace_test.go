package test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/adapters/otelprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// TestSpansFollowRuns takes a critical check through ok, failing below and
// at its threshold, a warning and ok again, and checks the span of each
// run: its name, exact start and end (synctest time), status, state
// attribute, kind, scope and that it is a root.
func TestSpansFollowRuns(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		db := &switchable{sleep: runTime}
		h := testenv.NewHealth(t, core.WithCheck("db", db, core.FailureThreshold(2),
			core.Interval(time.Second), core.Jitter(0), core.MaxBackoff(time.Second)))
		tel := newTelemetry(t)
		tel.register(t, h)
		start := time.Now()
		if err := h.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		// Runs start at 0s, 1.125s, 2.25s, 3.375s and 4.5s and take runTime;
		// the outcome set at step k applies to the run after it.
		tests := []struct {
			name      string
			give      error
			at        time.Duration
			wantStart time.Duration
			wantCode  codes.Code
			wantDesc  string
			wantState string
		}{
			{"ok", nil, 1 * time.Second, 0, codes.Unset, "", "ok"},
			{"fails below its threshold", errors.New("connection refused"), 2 * time.Second, 1125 * time.Millisecond, codes.Error, "connection refused", "ok"},
			{"fails at its threshold", errors.New("connection refused"), 3 * time.Second, 2250 * time.Millisecond, codes.Error, "connection refused", "unhealthy"},
			{"passes with a warning", core.Warn(errors.New("replication lag 12s")), 4 * time.Second, 3375 * time.Millisecond, codes.Unset, "", "degraded"},
			{"ok again", nil, 5 * time.Second, 4500 * time.Millisecond, codes.Unset, "", "ok"},
		}
		for i, tt := range tests {
			db.set(tt.give)
			time.Sleep(time.Until(start.Add(tt.at)))
			synctest.Wait()
			spans := tel.ended()
			if len(spans) != i+1 {
				t.Fatalf("%s: %d spans; want %d, one per run", tt.name, len(spans), i+1)
			}
			s := spans[i]
			if s.Name() != "health.check db" {
				t.Errorf("%s: span name %q; want %q", tt.name, s.Name(), "health.check db")
			}
			if got, want := s.StartTime().Sub(start), tt.wantStart; got != want {
				t.Errorf("%s: span starts at %v; want %v", tt.name, got, want)
			}
			if got, want := s.EndTime().Sub(s.StartTime()), runTime; got != want {
				t.Errorf("%s: span lasts %v; want the run's %v", tt.name, got, want)
			}
			if st := s.Status(); st.Code != tt.wantCode || st.Description != tt.wantDesc {
				t.Errorf("%s: span status %v %q; want %v %q", tt.name, st.Code, st.Description, tt.wantCode, tt.wantDesc)
			}
			wantAttrs := []attribute.KeyValue{
				otelprobe.AttrCheckName.String("db"),
				otelprobe.AttrCheckCritical.Bool(true),
				otelprobe.AttrCheckState.String(tt.wantState),
			}
			if got := attribute.NewSet(s.Attributes()...); !got.Equals(ptr(attribute.NewSet(wantAttrs...))) {
				t.Errorf("%s: span attributes %v; want %v", tt.name, s.Attributes(), wantAttrs)
			}
			if s.SpanKind() != trace.SpanKindInternal || s.Parent().IsValid() || s.InstrumentationScope().Name != otelprobe.ScopeName {
				t.Errorf("%s: span kind %v, parent %v, scope %q; want an internal root span of %q",
					tt.name, s.SpanKind(), s.Parent(), s.InstrumentationScope().Name, otelprobe.ScopeName)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestOneSpanPerRunNoneForProbes serves the probes through httpprobe on a
// real server and requests each of them many times, and collects the
// metrics as often: the one run of the check (its interval is an hour)
// has one span, and no request or collection adds another.
func TestOneSpanPerRunNoneForProbes(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t, core.WithCheck("db", &switchable{}, core.Interval(time.Hour)))
	tel := newTelemetry(t)
	tel.register(t, h)
	srv := testenv.NewServer(t, httpprobe.Handler(h))
	if err := h.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, 10*time.Second, func() error {
		if n := len(tel.ended()); n != 1 {
			return fmt.Errorf("%d spans; want 1 after the first run", n)
		}
		return nil
	})

	for _, target := range []string{"/readyz", "/readyz/db", "/healthz", "/livez", "/startupz", "/readyz?verbose"} {
		for range 50 {
			if code, body := testenv.Send(t, srv, http.MethodGet, target); code != http.StatusOK {
				t.Fatalf("GET %s = %d %s; want 200", target, code, body)
			}
		}
	}
	for range 50 {
		tel.collect(t)
	}
	if n, runs := len(tel.ended()), h.Checks()[0].Runs; n != 1 || runs != 1 {
		t.Errorf("after 300 probes and 50 collections: %d spans, %d runs; want 1 and 1", n, runs)
	}
	s, st := tel.ended()[0], h.Checks()[0]
	if !s.StartTime().Equal(st.Checked.Add(-st.Duration)) || !s.EndTime().Equal(st.Checked) {
		t.Errorf("span from %v to %v; want Checked - Duration (%v) to Checked (%v)",
			s.StartTime(), s.EndTime(), st.Checked.Add(-st.Duration), st.Checked)
	}
}

// TestSpanErrorRedacted: a checker's error that carries a secret ends its
// span as an error whose description is core's redacted text; no part of
// the span holds the secret.
func TestSpanErrorRedacted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		give string
	}{
		{"postgres URL", "dial postgres://user:secret@db.internal:5432/app: connection refused"},
		{"redis URL", "redis://:secret@cache:6379: i/o timeout"},
		{"mysql DSN", "open app:secret@tcp(db:3306)/app: access denied"},
		{"key/value DSN", "connect host=db user=app password=secret dbname=app: refused"},
		{"bearer token", "GET /health: 401 with Authorization: Bearer secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				check := &switchable{}
				check.set(errors.New(tt.give))
				h := testenv.NewHealth(t, core.WithCheck("db", check))
				tel := newTelemetry(t)
				tel.register(t, h)
				if err := h.Start(t.Context()); err != nil {
					t.Fatal(err)
				}
				synctest.Wait()
				spans := tel.ended()
				if len(spans) != 1 {
					t.Fatalf("%d spans; want 1", len(spans))
				}
				s, want := spans[0], h.Checks()[0].Err
				if st := s.Status(); st.Code != codes.Error || st.Description != want {
					t.Errorf("span status %v %q; want Error with core's text %q", st.Code, st.Description, want)
				}
				if !strings.Contains(want, "xxxxx") {
					t.Errorf("core's text %q shows no redaction", want)
				}
				if dump := spanText(s); strings.Contains(dump, "secret") {
					t.Errorf("span holds the secret: %s", dump)
				}
			})
		})
	}
}

// spanText returns every text of s: name, status, attributes and events.
func spanText(s sdktrace.ReadOnlySpan) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %v %q %v", s.Name(), s.Status().Code, s.Status().Description, s.Attributes())
	for _, e := range s.Events() {
		fmt.Fprintf(&b, " event %s %v", e.Name, e.Attributes)
	}
	return b.String()
}

// TestGlobalProviders: without options, the instruments come from the
// global MeterProvider, while no span is made even though a global
// TracerProvider is set; WithTracerProvider(nil) also means no spans. It
// sets the global providers, so it does not run in parallel with the
// tests, which all pass their own, and leaves no-op providers behind.
func TestGlobalProviders(t *testing.T) {
	tel := newTelemetry(t)
	otel.SetMeterProvider(tel.mp)
	otel.SetTracerProvider(tel.tp)
	t.Cleanup(func() {
		otel.SetMeterProvider(metricnoop.NewMeterProvider())
		otel.SetTracerProvider(tracenoop.NewTracerProvider())
	})
	tests := []struct {
		name string
		opts []otelprobe.Option
	}{
		{"no options", nil},
		{"nil tracer provider", []otelprobe.Option{otelprobe.WithTracerProvider(nil)}},
	}
	for _, tt := range tests {
		synctest.Test(t, func(t *testing.T) {
			h := testenv.NewHealth(t, core.WithCheck(strings.ReplaceAll(tt.name, " ", "-"), &switchable{}))
			reg, err := otelprobe.Register(h, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = reg.Unregister() })
			if err := h.Start(t.Context()); err != nil {
				t.Fatal(err)
			}
			synctest.Wait()
			want := counts(h.Checks()[0].Name, true, 1, 0, 0)
			for _, d := range tel.collect(t).diff(want) {
				t.Errorf("%s: global meter provider: %s", tt.name, d)
			}
			if n := len(tel.ended()); n != 0 {
				t.Errorf("%s: %d spans; want none without WithTracerProvider", tt.name, n)
			}
		})
	}
}
