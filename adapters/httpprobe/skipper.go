package httpprobe

import (
	"net/http"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// IsProbe reports whether [Wrap] would answer r itself. It is true for the
// exact probe paths only (see the package documentation), so auth
// middleware can use it to let probes through without letting anything
// else past. It panics if h is nil.
func IsProbe(h *core.Health, r *http.Request) bool {
	if h == nil {
		panic("httpprobe: IsProbe with a nil *core.Health")
	}
	return isProbe(h, r)
}

// isProbe is [IsProbe] without the nil check, for the request path.
func isProbe(h *core.Health, r *http.Request) bool {
	return probehttp.IsProbePath(h, probehttp.HTTPPath(r))
}

// Skipper returns [IsProbe] bound to h, in the func(*http.Request) bool
// shape that auth middleware with a skip hook takes. Auth that skips with
// it must have [Wrap] (with the same h) inside it, so that every request it
// lets through is answered by the probes. It panics if h is nil.
func Skipper(h *core.Health) func(*http.Request) bool {
	if h == nil {
		panic("httpprobe: Skipper with a nil *core.Health")
	}
	return func(r *http.Request) bool { return isProbe(h, r) }
}
