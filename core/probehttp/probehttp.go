// Package probehttp is the HTTP plumbing adapters use to answer a
// [core.Health]'s probes: match a raw request path, pick the cached answer
// for the request, and write it. Applications do not need it; they use an
// adapter (httpprobe, ginprobe, echov5probe, fiberv3probe, …).
//
// An adapter matches first, on the raw path, and reads the rest of the
// request only for probes:
//
//	if resp := probehttp.Respond(h, probehttp.Request{Method: m, Path: rawPath, RawQuery: q, Accept: a}); resp != nil {
//		// write resp.StatusCode(), ContentType(), Body(), Allow() and the
//		// headers in the framework's way
//	}
//
// On net/http, [Serve] does all of it.
package probehttp

import (
	"net/http"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/internal/answer"
)

// Content types of the answers.
const (
	ContentTypeJSON = answer.ContentTypeJSON // the default
	ContentTypeIETF = answer.ContentTypeIETF // Accept: application/health+json
	ContentTypeText = answer.ContentTypeText // ?verbose
)

// Header values every answer carries.
const (
	// CacheControl is the Cache-Control value: a probe's answer must never
	// be served from a cache.
	CacheControl = answer.CacheControl
	// ContentTypeOptions is the X-Content-Type-Options value: the body is
	// never to be sniffed as anything but its Content-Type.
	ContentTypeOptions = answer.ContentTypeOptions
)

// Request is what an adapter passes from its framework's request.
type Request struct {
	// Method is the HTTP method. Only GET and HEAD are answered; any other
	// method on a probe path gets 405 with Allow: GET, HEAD.
	Method string
	// Path is the request path exactly as received, still percent-encoded
	// (net/http: r.URL.RawPath when set, else r.URL.Path; see [HTTPPath]).
	// It is matched exactly: no cleaning, no case folding, no decoding.
	Path string
	// RawQuery is the query string without the "?": verbose selects the
	// Kubernetes text format, exclude=NAME (repeatable) leaves a check out.
	RawQuery string
	// Accept is the Accept header; application/health+json selects the
	// IETF health-check format.
	Accept string
	// Details includes error texts whatever core.WithDetails says, for
	// probe endpoints that are not public.
	Details bool
}

// Response is a probe answer, rendered once and shared by every request
// that gets it. Its values must not be modified.
type Response answer.Response

// StatusCode returns the HTTP status code: 200, 503, or 404/405 for an
// unknown check or a method other than GET and HEAD.
func (r *Response) StatusCode() int { return (*answer.Response)(r).StatusCode() }

// ContentType returns the Content-Type of the body.
func (r *Response) ContentType() string { return (*answer.Response)(r).ContentType() }

// Body returns the body. It is shared: do not modify it.
func (r *Response) Body() []byte { return (*answer.Response)(r).Body() }

// Allow returns the value of the Allow header the response needs ("GET,
// HEAD" on a 405), or "".
func (r *Response) Allow() string { return (*answer.Response)(r).Allow() }

// WriteHTTP writes r to w: status, Content-Type, Content-Length,
// Cache-Control: no-store, X-Content-Type-Options: nosniff, Allow on a 405,
// and the body unless method is HEAD. It allocates nothing.
func (r *Response) WriteHTTP(w http.ResponseWriter, method string) {
	(*answer.Response)(r).WriteHTTP(w, method)
}

// Respond answers req if its path is a probe path, and returns nil
// otherwise, so that the adapter passes the request on untouched. The
// answer comes from the cache: the first request for it after a change
// renders it, and every later one gets the same shared bytes without
// allocating.
func Respond(h *core.Health, req Request) *Response {
	rt, ok := answer.Match(h, req.Path)
	if !ok {
		return nil
	}
	return (*Response)(answer.Respond(h, rt, answer.Request(req)))
}

// Route is a probe path as [Match] resolved it: a probe, or one of its
// checks.
type Route struct{ r answer.Route }

// Match resolves a raw request path as [Respond] does, for adapters that
// read the rest of a request (query, Accept) only for probes; ok is false
// for every path that is not a probe. Answer the request with
// [RespondRoute], which does not match the path again.
func Match(h *core.Health, path string) (rt Route, ok bool) {
	r, ok := answer.Match(h, path)
	return Route{r}, ok
}

// RespondRoute answers req, whose path [Match] resolved to rt; req.Path is
// not read.
func RespondRoute(h *core.Health, rt Route, req Request) *Response {
	return (*Response)(answer.Respond(h, rt.r, answer.Request(req)))
}

// RespondProbe answers req for probe p (one of core.Liveness, Readiness,
// Startup) whatever its path, for handlers mounted on a router's own route.
// It returns nil for any other p.
func RespondProbe(h *core.Health, p core.Probe, req Request) *Response {
	rt, ok := answer.ProbeRoute(uint8(p))
	if !ok {
		return nil
	}
	return (*Response)(answer.Respond(h, rt, answer.Request(req)))
}

// IsProbePath reports whether a request for the raw path would be
// answered by the probes ([Respond] returns non-nil): exactly a configured
// probe path, or one of them followed by "/<check name>". Adapters export it
// as the skipper for auth registered before the probes; it is true for
// nothing else, so it can never let a request past auth to the app.
func IsProbePath(h *core.Health, path string) bool {
	_, ok := answer.Match(h, path)
	return ok
}

// HTTPPath returns r's path as [Request] wants it: r.URL.RawPath when
// net/http set it (the path held an escape that does not decode to itself;
// such a path never matches a probe path), else r.URL.Path.
func HTTPPath(r *http.Request) string { return answer.HTTPPath(r) }

// HTTPRequest returns the [Request] for r.
func HTTPRequest(r *http.Request) Request { return Request(answer.HTTPRequest(r)) }

// connectionClose is the Connection header value of a probe answer to a
// request with a body; net/http only reads it.
var connectionClose = []string{"close"}

// Serve answers r on w if r is a probe request and reports whether it did;
// otherwise it writes nothing, so the caller passes r on to the app. It is
// [Respond] and [Response.WriteHTTP] for net/http, matching the path once
// and reading the rest of the request only for probes.
func Serve(h *core.Health, w http.ResponseWriter, r *http.Request) bool {
	rt, ok := answer.Match(h, answer.HTTPPath(r))
	if !ok {
		return false
	}
	if r.ContentLength != 0 && r.ProtoMajor == 1 {
		// A probe never reads a request body, but net/http would read (up
		// to 256 KiB of) it before sending the answer, to reuse the
		// connection: a client that declares a body and never sends it
		// would get no answer. Close the connection instead. (HTTP/2 needs
		// no drain, and takes Connection: close as a GOAWAY.)
		w.Header()["Connection"] = connectionClose
	}
	req := answer.Request{Method: r.Method, RawQuery: r.URL.RawQuery}
	if v := r.Header["Accept"]; len(v) > 0 { // the key is canonical: no Get needed
		req.Accept = v[0]
	}
	answer.Respond(h, rt, req).WriteHTTP(w, r.Method)
	return true
}
