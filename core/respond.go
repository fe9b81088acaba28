package core

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/probekit/probekit/core/internal/answer"
)

// router matches raw request paths to probes and answers them from the
// tracker's latest snapshot.
type router struct {
	paths      []probePath
	afterSlash [256]bool      // the bytes that follow the slash of some probe path
	index      map[string]int // check name → index
	probes     []Probe        // by check index: the probes the check counts for
	details    bool           // error texts by default (WithDetails)
	tr         *tracker
	notAllowed *answer.Response
	notFound   *answer.Response
}

func newRouter(paths []probePath, checks []*check, details bool, tr *tracker) *router {
	r := &router{
		paths:      paths,
		index:      make(map[string]int, len(checks)),
		probes:     make([]Probe, len(checks)),
		details:    details,
		tr:         tr,
		notAllowed: errorResponse(405, "method not allowed", "GET, HEAD"),
		notFound:   errorResponse(404, "unknown check", ""),
	}
	for _, pp := range paths {
		r.afterSlash[pp.path[1]] = true
	}
	for i, c := range checks {
		r.index[c.name] = i
		r.probes[i] = c.cfg.probes
	}
	return r
}

// probePath is one configured path and the probe it answers.
type probePath struct {
	path  string
	probe int
}

var defaultPaths = [numProbes][]string{
	liveIdx:  {"/healthz", "/livez"},
	readyIdx: {"/readyz"},
	startIdx: {"/startupz"},
}

func resolvePaths(paths [numProbes][]string, set [numProbes]bool) ([]probePath, error) {
	var out []probePath
	for p := range numProbes {
		list := paths[p]
		if !set[p] {
			list = defaultPaths[p]
		}
		for _, path := range list {
			if err := validatePath(path); err != nil {
				return nil, err
			}
			for _, o := range out {
				if o.path == path {
					return nil, errDupPath(path, o.probe, p, set)
				}
				if strings.HasPrefix(path, o.path+"/") || strings.HasPrefix(o.path, path+"/") {
					return nil, errNestedPath(o.path, path)
				}
			}
			out = append(out, probePath{path: path, probe: p})
		}
	}
	return out, nil
}

// match resolves a raw request path. A probe path matches exactly; so does
// "<probe path>/<name>" for any valid check name (an unknown one gets 404).
// Everything else (a trailing slash, another case, a doubled slash, a dot
// segment, an escape) is not a probe.
func (r *router) match(path string) (answer.Route, bool) {
	// Most requests are not probes: the byte after their slash starts no
	// probe path. Checking it first makes an app route cost a third to a
	// half of the loop alone (BenchmarkMatch, same run: 4.5 against 20 ns,
	// 9 against 32 ns on a loaded machine); it replaced a table of each
	// path's first four bytes, which was no faster.
	if len(path) < 2 || !r.afterSlash[path[1]] {
		return answer.Route{}, false
	}
	// New rejects paths that nest, so a path matches at most one entry,
	// exactly or as its /<check> subpath.
	for _, pp := range r.paths {
		n := len(pp.path)
		switch {
		case path == pp.path:
			return answer.Route{Probe: pp.probe, Check: -1}, true
		case len(path) > n+1 && path[n] == '/' && path[:n] == pp.path:
			name := path[n+1:]
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

// respond answers req, routed to rt, from the latest snapshot.
func (r *router) respond(rt answer.Route, req *answer.Request) *answer.Response {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return r.notAllowed
	}
	if rt.Check == answer.UnknownCheck {
		return r.notFound
	}
	d := 0
	if r.details || req.Details {
		d = 1
	}
	f := fmtJSON
	if acceptsIETF(req.Accept) {
		f = fmtIETF
	}
	s := r.tr.load()
	if req.RawQuery != "" {
		verbose, hasExclude := scanQuery(req.RawQuery)
		if verbose {
			f = fmtText
		}
		if hasExclude && rt.Check < 0 {
			return r.renderExcluding(s, rt.Probe, f, d == 1, req.RawQuery)
		}
	}
	if rt.Check >= 0 {
		return s.checks[rt.Check].resp.get(f, d)
	}
	return s.probes[rt.Probe].resp.get(f, d)
}

// renderExcluding renders probe p leaving out what the query's exclude
// parameters name. It is the one answer rendered per request.
func (r *router) renderExcluding(s *snapshot, p int, f format, details bool, rawQuery string) *answer.Response {
	ex := r.parseExclusion(rawQuery, s)
	st, cause := s.aggregate(p, ex)
	now := time.Now()
	return render(&view{s: s, probe: p, status: st, cause: cause, details: details, ex: ex, at: now, uptime: s.uptime(now)}, f)
}

// exclusion is the set of names a request's ?exclude= parameters name.
type exclusion struct {
	names   []string
	unknown []string // valid names that match no check or hold, for the text format
}

func (ex *exclusion) has(name string) bool {
	if ex == nil {
		return false
	}
	for _, n := range ex.names {
		if n == name {
			return true
		}
	}
	return false
}

// maxAcceptLen bounds the part of an Accept header that is looked at.
const maxAcceptLen = 4096

// maxQueryParams bounds the work spent on one query string.
const maxQueryParams = 64

// scanQuery reports whether rawQuery asks for verbose output and whether it
// has exclude parameters, without allocating. verbose, verbose=1 and
// verbose=true (any value but 0 and false) select it.
func scanQuery(q string) (verbose, exclude bool) {
	for n := 0; q != "" && n < maxQueryParams; n++ {
		var kv string
		kv, q, _ = strings.Cut(q, "&")
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "verbose":
			verbose = v != "0" && v != "false"
		case "exclude":
			exclude = true
		}
	}
	return verbose, exclude
}

// parseExclusion collects the exclude values of rawQuery (at most
// maxQueryParams parameters are read).
func (r *router) parseExclusion(q string, s *snapshot) *exclusion {
	ex := &exclusion{}
	for n := 0; q != "" && n < maxQueryParams; n++ {
		var kv string
		kv, q, _ = strings.Cut(q, "&")
		k, v, _ := strings.Cut(kv, "=")
		if k != "exclude" {
			continue
		}
		name, err := url.QueryUnescape(v)
		if err != nil || !ValidName(name) || ex.has(name) {
			continue
		}
		ex.names = append(ex.names, name)
		if _, ok := r.index[name]; !ok && !s.hasHold(name) {
			ex.unknown = append(ex.unknown, name)
		}
	}
	return ex
}

// acceptsIETF reports whether an Accept header asks for
// application/health+json (ASCII case-insensitive), without allocating.
func acceptsIETF(accept string) bool {
	const want = "application/health+json"
	if len(accept) > maxAcceptLen {
		accept = accept[:maxAcceptLen]
	}
	for i := 0; i+len(want) <= len(accept); i++ {
		if accept[i]|0x20 == 'a' && strings.EqualFold(accept[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

// errDupPath explains a path given to probes a and b (a == b: listed twice
// for one probe), saying which list each came from.
func errDupPath(path string, a, b int, set [numProbes]bool) error {
	if a == b {
		return fmt.Errorf("core: probe path %q listed twice for %s", path, probeNames[a])
	}
	from := func(p int) string {
		if set[p] {
			return probeNames[p] + " (configured)"
		}
		return probeNames[p] + " (its default)"
	}
	fix := probeAt(b)
	if set[b] && !set[a] {
		fix = probeAt(a)
	}
	return fmt.Errorf("core: probe path %q is set for both %s and %s: give %s other paths with WithPaths or HEALTH_%s_PATHS",
		path, from(a), from(b), fix, strings.ToUpper(fix.String()))
}

func errNestedPath(a, b string) error {
	return fmt.Errorf("core: probe paths %q and %q nest: one would shadow the other's /<check> subpaths", a, b)
}

// errorResponse returns a JSON error answer, {"error":msg}.
func errorResponse(code int, msg, allow string) *answer.Response {
	b := append([]byte(`{"error":`), appendJSONString(nil, msg)...)
	return answer.New(code, answer.ContentTypeJSON, append(b, "}\n"...), allow)
}

// The functions probehttp reaches a Health through.
func init() {
	answer.Match = func(h any, path string) (answer.Route, bool) {
		return h.(*Health).rt.match(path)
	}
	answer.Respond = func(h any, rt answer.Route, req answer.Request) *answer.Response {
		return h.(*Health).rt.respond(rt, &req)
	}
	answer.ProbeRoute = func(p uint8) (answer.Route, bool) {
		i := Probe(p).index()
		return answer.Route{Probe: i, Check: -1}, i >= 0
	}
}
