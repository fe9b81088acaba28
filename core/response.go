package core

import (
	"net/http"
	"strconv"
)

// Response is a probe answer, rendered once and shared by every request
// that gets it. Its methods give adapters what to write; the values must not
// be modified.
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

// Header values every probe answer carries.
const (
	// CacheControl is the Cache-Control value: a probe's answer must never
	// be served from a cache.
	CacheControl = "no-store"
	// ContentTypeOptions is the X-Content-Type-Options value: the body is
	// never to be sniffed as anything but its Content-Type.
	ContentTypeOptions = "nosniff"
)

func newResponse(code int, contentType string, body []byte) *Response {
	// One backing array for the header values; each is a full slice of
	// its own (len == cap), so an append by a caller cannot touch the next.
	v := [...]string{contentType, strconv.Itoa(len(body)), CacheControl, ContentTypeOptions}
	r := &struct {
		Response
		v [4]string
	}{v: v}
	r.code, r.contentType, r.body = code, contentType, body
	r.hdrContentType = r.v[0:1:1]
	r.hdrContentLength = r.v[1:2:2]
	r.hdrCacheControl = r.v[2:3:3]
	r.hdrNoSniff = r.v[3:4:4]
	return &r.Response
}

func errorResponse(code int, msg, allow string) *Response {
	b := append([]byte(`{"error":`), appendJSONString(nil, msg)...)
	r := newResponse(code, ContentTypeJSON, append(b, "}\n"...))
	if allow != "" {
		r.allow = allow
		r.hdrAllow = []string{allow}
	}
	return r
}

// StatusCode returns the HTTP status code: 200, 503, or 404/405 for an
// unknown check or a method other than GET and HEAD.
func (r *Response) StatusCode() int { return r.code }

// ContentType returns the Content-Type of the body.
func (r *Response) ContentType() string { return r.contentType }

// Body returns the body. It is shared: do not modify it.
func (r *Response) Body() []byte { return r.body }

// Allow returns the value of the Allow header the response needs ("GET,
// HEAD" on a 405), or "".
func (r *Response) Allow() string { return r.allow }

// WriteHTTP writes r to w: status, Content-Type, Content-Length,
// Cache-Control: no-store, X-Content-Type-Options: nosniff, Allow on a 405,
// and the body unless method is HEAD. It allocates nothing.
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
