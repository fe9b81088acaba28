package httpprobe

import (
	"net/http"

	"github.com/probekit/probekit/core"
)

// Wrap returns a handler that answers h's probe paths itself and passes
// every other request to next untouched. Mount it outermost, outside auth
// and DB-connect middleware. Answering a probe reads h's cached answer and
// allocates nothing; passing a request on costs one path comparison.
func Wrap(h *core.Health, next http.Handler) http.Handler {
	return &wrapper{h: h, next: next}
}

// Middleware returns [Wrap] in the func(http.Handler) http.Handler shape of
// chi, alice and most net/http middleware stacks. Use it first.
func Middleware(h *core.Health) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler { return Wrap(h, next) }
}

type wrapper struct {
	h    *core.Health
	next http.Handler
}

func (w *wrapper) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if !w.h.ServeProbe(rw, r) {
		w.next.ServeHTTP(rw, r)
	}
}

// Handler returns a handler that answers h's probe paths and 404 (a JSON
// error) for any other path, for mounting on a mux at the probe paths.
func Handler(h *core.Health) http.Handler {
	return Wrap(h, http.HandlerFunc(notFound))
}

func notFound(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", core.ContentTypeJSON)
	w.Header().Set("Cache-Control", core.CacheControl)
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("{\"error\":\"not a probe path\"}\n"))
}

// Liveness returns a handler that answers the liveness probe at whatever
// path it is mounted on, e.g. mux.Handle("GET /internal/alive", Liveness(h)).
func Liveness(h *core.Health) http.Handler { return probeHandler{h, core.Liveness} }

// Readiness returns a handler that answers the readiness probe at whatever
// path it is mounted on.
func Readiness(h *core.Health) http.Handler { return probeHandler{h, core.Readiness} }

// Startup returns a handler that answers the startup probe at whatever path
// it is mounted on.
func Startup(h *core.Health) http.Handler { return probeHandler{h, core.Startup} }

type probeHandler struct {
	h *core.Health
	p core.Probe
}

func (p probeHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.h.RespondProbe(p.p, core.HTTPRequest(r)).WriteHTTP(w, r.Method)
}

// IsProbe reports whether [Wrap] would answer r itself. It is true for the
// exact probe paths only (see the package documentation), so auth
// middleware can use it to let probes through without letting anything
// else past.
func IsProbe(h *core.Health, r *http.Request) bool {
	return h.IsProbePath(core.HTTPPath(r))
}

// Skipper returns [IsProbe] bound to h, in the func(*http.Request) bool
// shape that auth middleware with a skip hook takes.
func Skipper(h *core.Health) func(*http.Request) bool {
	return func(r *http.Request) bool { return IsProbe(h, r) }
}
