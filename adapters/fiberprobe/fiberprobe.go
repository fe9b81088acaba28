package fiberprobe

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/valyala/fasthttp"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// New returns middleware that answers h's probe paths itself (/healthz,
// /livez, /readyz, /readyz/<check>, /startupz by default) and passes every
// other request on with c.Next, untouched. Register it on the root app,
// without a prefix, before auth and DB-connect middleware:
//
//	app.Use(fiberprobe.New(h))
//
// The path is matched exactly on the raw request path, as received: Fiber's
// CaseSensitive, StrictRouting and UnescapePath settings and fasthttp's
// path normalisation never turn a request into a probe.
//
// A probe answer is written straight into fasthttp from h's pre-rendered
// bytes: no net/http conversion, no copy of the body, no allocation. The
// body is shared by every request that gets it; middleware registered
// before New must not modify a response body in place. New panics if h is
// nil.
func New(h *core.Health, config ...Config) fiber.Handler {
	if h == nil {
		panic("fiberprobe: New with a nil *core.Health")
	}
	var cfg Config
	if len(config) > 0 {
		cfg = config[0]
	}
	next := cfg.Next
	w := newWriter()
	return func(c *fiber.Ctx) error {
		if next != nil && next(c) {
			return c.Next()
		}
		req := c.Request()
		// Safe without a copy: core reads the string during the call and
		// keeps none of it.
		path := utils.UnsafeString(req.URI().PathOriginal())
		// Most requests are not probes: the path alone turns them away,
		// before the query and the Accept header are looked up.
		rt, ok := probehttp.Match(h, path)
		if !ok {
			return c.Next()
		}
		w.write(c.Response(), probehttp.RespondRoute(h, rt, w.request(c.Method(), req, path)))
		return nil
	}
}

// writer holds the header names and values the handlers set, as the byte
// slices fasthttp's canonical setters take, so that setting them neither
// allocates nor re-normalises a name per request.
type writer struct {
	accept       []byte
	cacheControl []byte
	noStore      []byte
	noSniffKey   []byte
	noSniff      []byte
	allowKey     []byte
}

func newWriter() *writer {
	return &writer{
		accept:       []byte(fiber.HeaderAccept),
		cacheControl: []byte(fiber.HeaderCacheControl),
		noStore:      []byte(probehttp.CacheControl),
		noSniffKey:   []byte(fiber.HeaderXContentTypeOptions),
		noSniff:      []byte(probehttp.ContentTypeOptions),
		allowKey:     []byte(fiber.HeaderAllow),
	}
}

// request is a request as core sees it. Its strings point into fasthttp's
// buffers: core reads them during the call that takes the request and keeps
// none of them.
func (w *writer) request(method string, req *fasthttp.Request, path string) probehttp.Request {
	return probehttp.Request{
		Method:   method,
		Path:     path,
		RawQuery: utils.UnsafeString(req.URI().QueryString()),
		Accept:   utils.UnsafeString(req.Header.PeekBytes(w.accept)),
	}
}

// write puts r into resp: status, Content-Type, Cache-Control: no-store,
// X-Content-Type-Options: nosniff, Allow on a 405, and the body itself
// (not a copy). For HEAD, fasthttp sends Content-Length from the body and
// leaves the body out.
func (w *writer) write(resp *fasthttp.Response, r *probehttp.Response) {
	resp.SetStatusCode(r.StatusCode())
	resp.Header.SetContentType(r.ContentType())
	resp.Header.SetCanonical(w.cacheControl, w.noStore)
	resp.Header.SetCanonical(w.noSniffKey, w.noSniff)
	if allow := r.Allow(); allow != "" {
		resp.Header.SetCanonical(w.allowKey, utils.UnsafeBytes(allow))
	}
	resp.SetBodyRaw(r.Body())
}
