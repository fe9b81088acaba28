package httpprobe_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/testenv"
	"github.com/probekit/probekit/internal/traffictest"
)

// recoverer stands in for the recovering middleware an app mounts
// outermost (chi's Recoverer and the like): it turns a panic into a 500.
func recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				http.Error(w, fmt.Sprint(v), http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// trafficRoutes is an app's mux with a route for each way of answering:
// those of traffictest, and net/http's own.
func trafficRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ok", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	mux.HandleFunc("POST /created", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"id":1}`)
	})
	mux.HandleFunc("/silent", func(http.ResponseWriter, *http.Request) {})
	mux.HandleFunc("/bad-request", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "bad", http.StatusBadRequest)
	})
	mux.HandleFunc("/fail", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/unavailable", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/early-hints", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Link", "</app.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		w.WriteHeader(http.StatusInternalServerError)
	})
	mux.HandleFunc("/body-then-500", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("partial"))
		w.WriteHeader(http.StatusInternalServerError) // superfluous: the client got 200
	})
	mux.HandleFunc("/copy", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.Copy(w, strings.NewReader("copied")) // ReadFrom
	})
	mux.HandleFunc("/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	return mux
}

// serveTraffic is traffictest's App.Serve for net/http: Traffic inside
// Wrap, or outside it.
func serveTraffic(t *testing.T, m traffictest.Mount, h *core.Health, rec *trafficcheck.Recorder) traffictest.Client {
	var handler http.Handler
	switch m {
	case traffictest.RecoverFirst:
		handler = recoverer(httpprobe.Traffic(rec)(trafficRoutes()))
	case traffictest.RecoverAfter:
		handler = httpprobe.Traffic(rec)(recoverer(trafficRoutes()))
	case traffictest.ProbesFirst:
		handler = httpprobe.Wrap(h, httpprobe.Traffic(rec)(trafficRoutes()))
	case traffictest.ProbesSkipped:
		cfg := httpprobe.TrafficConfig{Recorder: rec, Skip: httpprobe.Skipper(h)}
		handler = httpprobe.TrafficWithConfig(cfg)(httpprobe.Wrap(h, trafficRoutes()))
	case traffictest.ProbesCounted:
		handler = httpprobe.Traffic(rec)(httpprobe.Wrap(h, trafficRoutes()))
	default:
		t.Fatalf("mount %d: unknown", m)
	}
	return traffictest.Server(t, handler)
}

func TestTraffic(t *testing.T) {
	t.Parallel()
	traffictest.Run(t, traffictest.App{
		Adapter: "httpprobe",
		Serve:   serveTraffic,
		Direct: func(rec *trafficcheck.Recorder, code int, then func()) func() {
			handler := httpprobe.Traffic(rec)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(code)
				then()
			}))
			return func() {
				handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
			}
		},
		NilTraffic:           func() { httpprobe.Traffic(nil) },
		NilTrafficWithConfig: func() { httpprobe.TrafficWithConfig(httpprobe.TrafficConfig{}) },
		Cases: []traffictest.Case{
			{Name: "1xx then 500", Method: "GET", Target: "/early-hints", WantCode: 500},
			{Name: "body then 500", Method: "GET", Target: "/body-then-500", WantCode: 200},
			{Name: "ReadFrom", Method: "GET", Target: "/copy", WantCode: 200},
		},
	})
}

func TestTrafficFlush(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		giveHTTP2 bool
	}{
		{"HTTP/1.1", false},
		{"HTTP/2", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spy := traffictest.NewSpy()
			release := make(chan struct{})
			srv := httptest.NewUnstartedServer(httpprobe.Traffic(spy.Recorder)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if _, ok := w.(http.Flusher); !ok {
					t.Errorf("%s: the wrapper is not an http.Flusher", r.Proto)
				}
				_, _ = io.WriteString(w, "first\n")
				rc := http.NewResponseController(w)
				if err := rc.Flush(); err != nil {
					t.Errorf("%s: ResponseController.Flush() = %v", r.Proto, err)
				}
				// Reached through Unwrap: the wrapper has no such method.
				if err := rc.SetWriteDeadline(time.Time{}); err != nil {
					t.Errorf("%s: ResponseController.SetWriteDeadline() = %v", r.Proto, err)
				}
				// The client reads the first line before this goes on: it
				// can only if the flush reached the connection.
				select {
				case <-release:
				case <-r.Context().Done():
				}
				_, _ = io.WriteString(w, "second\n")
				w.WriteHeader(http.StatusInternalServerError) // too late: the client got 200
			})))
			srv.EnableHTTP2 = tt.giveHTTP2
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the superfluous WriteHeader is logged
			srv.StartTLS()
			defer srv.Close()
			resp, err := srv.Client().Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.ProtoMajor != map[bool]int{false: 1, true: 2}[tt.giveHTTP2] {
				t.Fatalf("proto = %s; want %s", resp.Proto, tt.name)
			}
			body := bufio.NewReader(resp.Body)
			if line, err := body.ReadString('\n'); line != "first\n" {
				t.Fatalf("first line = %q, %v; want %q", line, err, "first\n")
			}
			close(release)
			if rest, err := io.ReadAll(body); string(rest) != "second\n" || err != nil {
				t.Errorf("rest = %q, %v; want %q", rest, err, "second\n")
			}
			spy.Want(t, 200)
		})
	}
}

func TestTrafficHijack(t *testing.T) {
	t.Parallel()
	spy := traffictest.NewSpy()
	srv := testenv.NewServer(t, httpprobe.Traffic(spy.Recorder)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if _, ok := w.(http.Hijacker); !ok {
			t.Error("the wrapper is not an http.Hijacker")
		}
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("ResponseController.Hijack() = %v", err)
			return
		}
		defer conn.Close()
		_, _ = brw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
		_ = brw.Flush()
	})))
	if code, body := testenv.Send(t, srv, http.MethodGet, "/"); code != 200 || body != "hijacked" {
		t.Errorf("GET / = %d %q; want 200 %q", code, body, "hijacked")
	}
	spy.Want(t, 200)
}

// The optional interfaces of a fake server writer, as flags.
const (
	withFlush = 1 << iota
	withHijack
	withReadFrom
)

// plainRW is a fake server writer with no optional interface; it notes
// the calls that reach it.
type plainRW struct {
	h     http.Header
	calls []string
}

func (w *plainRW) Header() http.Header         { return w.h }
func (w *plainRW) Write(b []byte) (int, error) { w.note("Write"); return len(b), nil }
func (w *plainRW) WriteHeader(int)             { w.note("WriteHeader") }
func (w *plainRW) note(call string)            { w.calls = append(w.calls, call) }

type (
	flushRW    struct{ p *plainRW }
	hijackRW   struct{ p *plainRW }
	readFromRW struct{ p *plainRW }
)

func (f flushRW) Flush() { f.p.note("Flush") }
func (h hijackRW) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h.p.note("Hijack")
	return nil, nil, nil
}
func (r readFromRW) ReadFrom(io.Reader) (int64, error) { r.p.note("ReadFrom"); return 0, nil }

// fakeRW returns a fake server writer with the optional interfaces in
// caps, and the plainRW that notes the calls.
func fakeRW(caps int) (http.ResponseWriter, *plainRW) {
	p := &plainRW{h: http.Header{}}
	f, h, r := flushRW{p}, hijackRW{p}, readFromRW{p}
	switch caps {
	case 0:
		return p, p
	case withFlush:
		return struct {
			*plainRW
			flushRW
		}{p, f}, p
	case withHijack:
		return struct {
			*plainRW
			hijackRW
		}{p, h}, p
	case withFlush | withHijack:
		return struct {
			*plainRW
			flushRW
			hijackRW
		}{p, f, h}, p
	case withReadFrom:
		return struct {
			*plainRW
			readFromRW
		}{p, r}, p
	case withFlush | withReadFrom:
		return struct {
			*plainRW
			flushRW
			readFromRW
		}{p, f, r}, p
	case withHijack | withReadFrom:
		return struct {
			*plainRW
			hijackRW
			readFromRW
		}{p, h, r}, p
	default:
		return struct {
			*plainRW
			flushRW
			hijackRW
			readFromRW
		}{p, f, h, r}, p
	}
}

// TestTrafficWriterInterfaces checks that the writer the chain gets has
// exactly the optional interfaces of the server's writer, that each call
// reaches the server's writer, and that Unwrap returns it.
func TestTrafficWriterInterfaces(t *testing.T) {
	t.Parallel()
	for caps := range 8 {
		name := fmt.Sprintf("flush=%t,hijack=%t,readfrom=%t", caps&withFlush != 0, caps&withHijack != 0, caps&withReadFrom != 0)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rw, p := fakeRW(caps)
			rec := trafficcheck.NewRecorder()
			var wantCalls []string
			handler := httpprobe.Traffic(rec)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if u, ok := w.(interface{ Unwrap() http.ResponseWriter }); !ok || u.Unwrap() != rw {
					t.Errorf("Unwrap() does not return the server's writer")
				}
				f, isFlusher := w.(http.Flusher)
				h, isHijacker := w.(http.Hijacker)
				r, isReaderFrom := w.(io.ReaderFrom)
				if isFlusher != (caps&withFlush != 0) || isHijacker != (caps&withHijack != 0) || isReaderFrom != (caps&withReadFrom != 0) {
					t.Errorf("wrapper: Flusher %t, Hijacker %t, ReaderFrom %t; want as the server's writer", isFlusher, isHijacker, isReaderFrom)
				}
				if isFlusher {
					f.Flush()
					wantCalls = append(wantCalls, "Flush")
				}
				if isHijacker {
					_, _, _ = h.Hijack()
					wantCalls = append(wantCalls, "Hijack")
				}
				if isReaderFrom {
					_, _ = r.ReadFrom(strings.NewReader("x"))
					wantCalls = append(wantCalls, "ReadFrom")
				}
				err := http.NewResponseController(w).Flush()
				if wantErr := caps&withFlush == 0; errors.Is(err, http.ErrNotSupported) != wantErr {
					t.Errorf("ResponseController.Flush() = %v; want ErrNotSupported: %t", err, wantErr)
				}
				if err == nil {
					wantCalls = append(wantCalls, "Flush")
				}
				_, _ = io.WriteString(w, "body")
				wantCalls = append(wantCalls, "Write")
			}))
			handler.ServeHTTP(rw, httptest.NewRequest(http.MethodGet, "/", nil))
			if !slices.Equal(p.calls, wantCalls) {
				t.Errorf("calls on the server's writer = %v; want %v", p.calls, wantCalls)
			}
			if st := rec.Stats(time.Hour, 100); st.Requests != 1 || st.Failures != 0 {
				t.Errorf("Stats() = %d requests, %d failures; want 1, 0", st.Requests, st.Failures)
			}
		})
	}
}
