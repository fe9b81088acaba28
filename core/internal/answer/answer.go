// Package answer holds what package core renders and package probehttp
// writes: a probe request, a rendered answer, and the functions core
// registers for probehttp to reach a Health. It is internal so that the
// plumbing stays out of core's API.
package answer

import (
	"net/http"
	"strconv"
)

// Content types of the answers, and header values every answer carries.
const (
	ContentTypeJSON    = "application/json"
	ContentTypeIETF    = "application/health+json"
	ContentTypeText    = "text/plain; charset=utf-8"
	CacheControl       = "no-store"
	ContentTypeOptions = "nosniff"
)

// Request is a probe request as core reads it; probehttp.Request has the
// same fields.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	Accept   string
	Details  bool
}

// Route is what a path resolves to: a probe's aggregate (Check == -1), one
// of its checks (Check >= 0), or an unknown check (Check == UnknownCheck).
type Route struct {
	Probe int
	Check int
}

// UnknownCheck is Route.Check for /<probe>/<name> naming no check.
const UnknownCheck = -2

// Functions package core registers at init, taking a *core.Health as h.
var (
	// Match resolves a raw request path.
	Match func(h any, path string) (Route, bool)
	// Respond answers req, routed to rt, from the latest state.
	Respond func(h any, rt Route, req Request) *Response
	// ProbeRoute returns the route of a probe's aggregate (p one of
	// core.Liveness, Readiness, Startup).
	ProbeRoute func(p uint8) (Route, bool)
)

// Response is a rendered answer, shared by every request that gets it.
// Its values must not be modified.
type Response struct {
	code        int
	contentType string
	body        []byte
	allow       string

	// Header values for net/http, allocated once so that writing a
	// response allocates nothing.
	hdrContentType   []string
	hdrContentLength []string
	hdrCacheControl  []string
	hdrNoSniff       []string
	hdrAllow         []string
}

// New returns the answer code with body of contentType, and an Allow
// header when allow is not empty (a 405).
func New(code int, contentType string, body []byte, allow string) *Response {
	// One backing array for the header values; each is a full slice of
	// its own (len == cap), so an append by a caller cannot touch the next.
	v := [...]string{contentType, strconv.Itoa(len(body)), CacheControl, ContentTypeOptions, allow}
	r := &struct {
		Response
		v [5]string
	}{v: v}
	r.code, r.contentType, r.body, r.allow = code, contentType, body, allow
	r.hdrContentType = r.v[0:1:1]
	r.hdrContentLength = r.v[1:2:2]
	r.hdrCacheControl = r.v[2:3:3]
	r.hdrNoSniff = r.v[3:4:4]
	if allow != "" {
		r.hdrAllow = r.v[4:5:5]
	}
	return &r.Response
}

// StatusCode returns the HTTP status code.
func (r *Response) StatusCode() int { return r.code }

// ContentType returns the Content-Type of the body.
func (r *Response) ContentType() string { return r.contentType }

// Body returns the body; it is shared.
func (r *Response) Body() []byte { return r.body }

// Allow returns the Allow header value a 405 needs, or "".
func (r *Response) Allow() string { return r.allow }

// WriteHTTP writes r to w, the body unless method is HEAD, allocating
// nothing.
func (r *Response) WriteHTTP(w http.ResponseWriter, method string) {
	h := w.Header()
	h["Content-Type"] = r.hdrContentType
	h["Content-Length"] = r.hdrContentLength
	h["Cache-Control"] = r.hdrCacheControl
	h["X-Content-Type-Options"] = r.hdrNoSniff
	if r.hdrAllow != nil {
		h["Allow"] = r.hdrAllow
	}
	w.WriteHeader(r.code)
	if method != http.MethodHead {
		_, _ = w.Write(r.body)
	}
}

// HTTPPath returns r's path as Request.Path wants it: r.URL.RawPath when
// net/http set it, else r.URL.Path.
func HTTPPath(r *http.Request) string {
	if r.URL.RawPath != "" {
		return r.URL.RawPath
	}
	return r.URL.Path
}

// HTTPRequest returns the Request for r.
func HTTPRequest(r *http.Request) Request {
	return Request{Method: r.Method, Path: HTTPPath(r), RawQuery: r.URL.RawQuery, Accept: r.Header.Get("Accept")}
}
