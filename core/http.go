package core

import "net/http"

// connectionClose is the Connection header value of a probe answer to a
// request with a body; net/http only reads it.
var connectionClose = []string{"close"}

// HTTPRequest returns the [Request] for r. It passes r.URL.RawPath when
// net/http set it, that is when the path held an escape that does not
// decode to itself: such a path never matches a probe path.
func HTTPRequest(r *http.Request) Request {
	return Request{Method: r.Method, Path: HTTPPath(r), RawQuery: r.URL.RawQuery, Accept: r.Header.Get("Accept")}
}

// HTTPPath returns r's path as [Request.Path] wants it: r.URL.RawPath when
// net/http set it, else r.URL.Path.
func HTTPPath(r *http.Request) string {
	if r.URL.RawPath != "" {
		return r.URL.RawPath
	}
	return r.URL.Path
}

// ServeProbe answers r on w if r is a probe request and reports whether it
// did; otherwise it writes nothing, so the caller passes r on to the app.
// It is [Health.Respond] and [Response.WriteHTTP] for net/http, matching
// the path once and reading the rest of the request only for probes.
func (h *Health) ServeProbe(w http.ResponseWriter, r *http.Request) bool {
	rt, ok := h.rt.match(HTTPPath(r))
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
	req := Request{Method: r.Method, RawQuery: r.URL.RawQuery}
	if v := r.Header["Accept"]; len(v) > 0 { // the key is canonical: no Get needed
		req.Accept = v[0]
	}
	h.rt.respond(rt, &req).WriteHTTP(w, r.Method)
	return true
}
