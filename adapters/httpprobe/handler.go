package httpprobe

import (
	"net/http"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// Liveness returns a handler that answers h's liveness probe at whatever
// path it is mounted on, for a probe at a path of the app's own:
//
//	mux.Handle("GET /internal/alive", httpprobe.Liveness(h)) // HEAD too
//
// It runs inside the middleware wrapped around the mux, so keep auth off
// that path; [Wrap] needs no route. It panics if h is nil.
func Liveness(h *core.Health) http.Handler { return newProbeHandler(h, core.Liveness, "Liveness") }

// Readiness returns a handler that answers h's readiness probe at whatever
// path it is mounted on. See [Liveness].
func Readiness(h *core.Health) http.Handler { return newProbeHandler(h, core.Readiness, "Readiness") }

// Startup returns a handler that answers h's startup probe at whatever path
// it is mounted on. See [Liveness].
func Startup(h *core.Health) http.Handler { return newProbeHandler(h, core.Startup, "Startup") }

func newProbeHandler(h *core.Health, p core.Probe, name string) probeHandler {
	if h == nil {
		panic("httpprobe: " + name + " with a nil *core.Health")
	}
	return probeHandler{h, p}
}

type probeHandler struct {
	h *core.Health
	p core.Probe
}

func (p probeHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	probehttp.RespondProbe(p.h, p.p, probehttp.HTTPRequest(r)).WriteHTTP(w, r.Method)
}
