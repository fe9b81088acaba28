package httpprobe

import (
	"net/http"

	"github.com/probekit/probekit/core/checks/trafficcheck"
)

// TrafficConfig configures the middleware returned by [TrafficWithConfig].
type TrafficConfig struct {
	// Recorder receives the status code and latency of every request the
	// middleware does not skip.
	//
	// Required.
	Recorder *trafficcheck.Recorder

	// Skip leaves out the requests it returns true for: they go on to the
	// next handler unrecorded. Give it [Skipper] when the middleware is
	// mounted outside [Wrap], so that probes do not dilute the rate; or
	// any func(*http.Request) bool that picks out long-lived requests
	// (WebSocket, server-sent events, long polling), whose latency is their
	// lifetime. It is called on every request, from the goroutine serving
	// it.
	//
	// Optional. Default: nil (every request is recorded).
	Skip func(*http.Request) bool
}

// Traffic returns middleware that records every request into rec: the
// status code the handler chain sent, and the time it took, from when the
// middleware is called until the chain returns. It panics if rec is nil.
//
// Mount it inside [Wrap], around the app's own middleware, so that
// answered probes never reach it:
//
//	handler := httpprobe.Wrap(h, httpprobe.Traffic(rec)(authRequired(mux)))
//
// The code is the first final one the chain writes: the argument of its
// first WriteHeader outside 1xx (101 Switching Protocols counts), 200 if
// it writes a body, flushes or uses ReadFrom first, and 200 if it writes
// nothing at all, as net/http then sends. A request whose chain panics is
// recorded as 500, and the panic goes on unchanged (never recovered here,
// [http.ErrAbortHandler] included), to a recovering middleware mounted
// further out or to net/http. A hijacked connection counts as 200 unless
// a code was written before Hijack: what is sent over it afterwards is not
// seen.
//
// The chain gets a ResponseWriter wrapper that has the optional interfaces
// the server's has among [http.Flusher], [http.Hijacker] and
// [io.ReaderFrom], always has WriteString, and has Unwrap, so that
// [http.ResponseController] reaches the server's writer for deadlines and
// full duplex. Wrappers are pooled: recording a request allocates nothing.
// The chain must not use the writer after it returns, as net/http already
// requires.
func Traffic(rec *trafficcheck.Recorder) func(http.Handler) http.Handler {
	if rec == nil {
		panic("httpprobe: Traffic: nil Recorder")
	}
	return TrafficWithConfig(TrafficConfig{Recorder: rec})
}

// TrafficWithConfig returns [Traffic] configured by cfg. It panics if
// cfg.Recorder is nil. Mounted outside [Wrap], it must skip the probes:
//
//	handler := httpprobe.TrafficWithConfig(httpprobe.TrafficConfig{
//		Recorder: rec,
//		Skip:     httpprobe.Skipper(h),
//	})(httpprobe.Wrap(h, authRequired(mux)))
func TrafficWithConfig(cfg TrafficConfig) func(http.Handler) http.Handler {
	if cfg.Recorder == nil {
		panic("httpprobe: TrafficWithConfig: nil Recorder")
	}
	pools := new(writerPools)
	return func(next http.Handler) http.Handler {
		return &trafficHandler{rec: cfg.Recorder, skip: cfg.Skip, next: next, pools: pools}
	}
}

type trafficHandler struct {
	rec   *trafficcheck.Recorder
	skip  func(*http.Request) bool
	next  http.Handler
	pools *writerPools
}

func (t *trafficHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if t.skip != nil && t.skip(r) {
		t.next.ServeHTTP(w, r)
		return
	}
	tw := t.pools.get(w)
	t.rec.Track(func() int {
		t.next.ServeHTTP(tw.self, r)
		return tw.status()
	})
	// After a panic, which Track records and lets go on, the wrapper is
	// left to the garbage collector, not reused.
	t.pools.put(tw)
}
