package core

import (
	"context"
	"strings"
	"testing"

	"github.com/probekit/probekit/core/internal/answer"
)

// matchPlain is match without its first-byte filter: the loop alone. It
// is the baseline the benchmark below holds match against.
func (r *router) matchPlain(path string) (answer.Route, bool) {
	for i := range r.paths {
		pp := &r.paths[i]
		switch {
		case path == pp.path:
			return answer.Route{Probe: pp.probe, Check: -1}, true
		case len(path) > len(pp.path)+1 && path[len(pp.path)] == '/' && strings.HasPrefix(path, pp.path):
			name := path[len(pp.path)+1:]
			if !ValidName(name) {
				return answer.Route{}, false
			}
			if i, ok := r.index[name]; ok && r.probes[i]&probeAt(pp.probe) != 0 {
				return answer.Route{Probe: pp.probe, Check: i}, true
			}
			return answer.Route{Probe: pp.probe, Check: answer.UnknownCheck}, true
		}
	}
	return answer.Route{}, false
}

// BenchmarkMatch compares match with matchPlain, same run, on the paths a
// service sees: app routes (most requests), near misses and probes.
func BenchmarkMatch(b *testing.B) {
	h := MustNew(WithLogger(nil), WithCheck("redis", CheckerFunc(func(context.Context) error { return nil })))
	defer h.Close()
	for _, path := range []string{"/api/v1/users/42", "/", "/healthcheck", "/readyz/", "/readyz", "/readyz/redis", "/startupz"} {
		for _, impl := range []struct {
			name  string
			match func(string) (answer.Route, bool)
		}{{"filter", h.rt.match}, {"loop", h.rt.matchPlain}} {
			b.Run("path="+path+"/impl="+impl.name, func(b *testing.B) {
				for b.Loop() {
					impl.match(path)
				}
			})
		}
	}
}

func TestMatchPlainAgrees(t *testing.T) {
	h := MustNew(WithLogger(nil), WithCheck("redis", CheckerFunc(func(context.Context) error { return nil })))
	defer h.Close()
	for _, path := range []string{"", "/", "/api", "/healthz", "/healthz/", "/healthzz", "/livez", "/readyz/redis", "/readyz/x", "/readyz/a/b", "/startupz", "/Readyz", "//readyz"} {
		r1, ok1 := h.rt.match(path)
		r2, ok2 := h.rt.matchPlain(path)
		if r1 != r2 || ok1 != ok2 {
			t.Errorf("%q: match %v %v, plain %v %v", path, r1, ok1, r2, ok2)
		}
	}
}
