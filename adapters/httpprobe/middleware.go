package httpprobe

import (
	"net/http"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// Wrap returns a handler that answers h's probe paths itself and passes
// every other request to next untouched. Mount it outermost, outside auth
// and DB-connect middleware. Answering a probe reads h's cached answer and
// allocates nothing; passing a request on costs one path comparison. It
// panics if h is nil.
func Wrap(h *core.Health, next http.Handler) http.Handler {
	if h == nil {
		panic("httpprobe: Wrap with a nil *core.Health")
	}
	return &wrapper{h: h, next: next}
}

// Middleware returns [Wrap] in the func(http.Handler) http.Handler shape of
// chi, alice and most net/http middleware stacks. Use it first. It panics
// if h is nil.
func Middleware(h *core.Health) func(http.Handler) http.Handler {
	if h == nil {
		panic("httpprobe: Middleware with a nil *core.Health")
	}
	return func(next http.Handler) http.Handler { return Wrap(h, next) }
}

type wrapper struct {
	h    *core.Health
	next http.Handler
}

func (w *wrapper) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if !probehttp.Serve(w.h, rw, r) {
		w.next.ServeHTTP(rw, r)
	}
}

// Handler returns a handler that answers h's probe paths and 404 (a JSON
// error) for any other path, for mounting on a mux at the probe paths. It
// panics if h is nil.
func Handler(h *core.Health) http.Handler {
	if h == nil {
		panic("httpprobe: Handler with a nil *core.Health")
	}
	return Wrap(h, http.HandlerFunc(notFound))
}

func notFound(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", probehttp.ContentTypeJSON)
	w.Header().Set("Cache-Control", probehttp.CacheControl)
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("{\"error\":\"not a probe path\"}\n"))
}
