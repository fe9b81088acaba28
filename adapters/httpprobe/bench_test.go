package httpprobe_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/benchkit"
)

// bare is the floor: the least a probe handler can do.
var bare = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	_, _ = w.Write([]byte("ok"))
})

// BenchmarkGET compares answering a probe through Wrap (handler=probekit)
// with a bare handler writing "ok" (handler=bare), in the same run, with 5
// healthy checks registered. Compare with: benchstat -col /handler.
func BenchmarkGET(b *testing.B) {
	h := benchkit.Health(b, 5)
	wrapped := httpprobe.Wrap(h, http.NotFoundHandler())
	for _, target := range []string{"/healthz", "/readyz", "/readyz/check-3", "/readyz?verbose"} {
		name := strings.NewReplacer("/", "", "?", "-").Replace(target)
		b.Run("path="+name+"/handler=bare", func(b *testing.B) { benchkit.Serve(b, bare, target, 200) })
		b.Run("path="+name+"/handler=probekit", func(b *testing.B) { benchkit.Serve(b, wrapped, target, 200) })
	}
}

// BenchmarkReadyzChecks shows that the probe's cost does not depend on the
// number of checks: it writes one pre-rendered answer.
func BenchmarkReadyzChecks(b *testing.B) {
	for _, n := range []int{1, 5, 20, 100} {
		h := benchkit.Health(b, n)
		wrapped := httpprobe.Wrap(h, http.NotFoundHandler())
		b.Run(fmt.Sprintf("checks=%d", n), func(b *testing.B) { benchkit.Serve(b, wrapped, "/readyz", 200) })
	}
}

// BenchmarkNonProbe measures what Wrap adds to a request that is not a
// probe: the app called directly (handler=bare) against the app behind Wrap
// (handler=probekit).
func BenchmarkNonProbe(b *testing.B) {
	h := benchkit.Health(b, 5)
	app := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	wrapped := httpprobe.Wrap(h, app)
	for _, target := range []string{"/api/v1/users/42", "/static/app.js", "/readyzz"} {
		name := strings.ReplaceAll(strings.TrimPrefix(target, "/"), "/", "-")
		b.Run("path="+name+"/handler=bare", func(b *testing.B) { benchkit.Serve(b, app, target, 204) })
		b.Run("path="+name+"/handler=probekit", func(b *testing.B) { benchkit.Serve(b, wrapped, target, 204) })
	}
}

// BenchmarkTraffic measures what Traffic adds to a request of the app: the
// app called directly (handler=bare) against the app behind Traffic
// (handler=traffic), and behind the documented wiring, Wrap around Traffic
// (handler=wrap-traffic).
func BenchmarkTraffic(b *testing.B) {
	h := benchkit.Health(b, 5)
	rec := trafficcheck.NewRecorder()
	app := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	traffic := httpprobe.Traffic(rec)(app)
	wrapped := httpprobe.Wrap(h, traffic)
	b.Run("handler=bare", func(b *testing.B) { benchkit.Serve(b, app, "/api/v1/users/42", 204) })
	b.Run("handler=traffic", func(b *testing.B) { benchkit.Serve(b, traffic, "/api/v1/users/42", 204) })
	b.Run("handler=wrap-traffic", func(b *testing.B) { benchkit.Serve(b, wrapped, "/api/v1/users/42", 204) })
}
