package fiberprobe

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/valyala/fasthttp"

	"github.com/probekit/probekit/core"
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
// before New must not modify a response body in place.
func New(h *core.Health, config ...Config) fiber.Handler {
	var cfg Config
	if len(config) > 0 {
		cfg = config[0]
	}
	hdr := newHeaderNames()
	return func(c *fiber.Ctx) error {
		if cfg.Next != nil && cfg.Next(c) {
			return c.Next()
		}
		req := c.Request()
		uri := req.URI()
		// Safe without a copy: core reads the strings during the call and
		// keeps none of them.
		path := utils.UnsafeString(uri.PathOriginal())
		// Most requests are not probes: the path alone turns them away,
		// before the Accept header is looked up.
		if !h.IsProbePath(path) {
			return c.Next()
		}
		r := h.Respond(core.Request{
			Method:   c.Method(),
			Path:     path,
			RawQuery: utils.UnsafeString(uri.QueryString()),
			Accept:   utils.UnsafeString(req.Header.PeekBytes(hdr.accept)),
		})
		hdr.write(c.Response(), r)
		return nil
	}
}

// headerNames holds the header names and values New sets, as the byte
// slices fasthttp's canonical setters take, so that setting them neither
// allocates nor re-normalises a name per request.
type headerNames struct {
	accept       []byte
	cacheControl []byte
	noStore      []byte
	noSniffKey   []byte
	noSniff      []byte
}

func newHeaderNames() *headerNames {
	return &headerNames{
		accept:       []byte(fiber.HeaderAccept),
		cacheControl: []byte(fiber.HeaderCacheControl),
		noStore:      []byte(core.CacheControl),
		noSniffKey:   []byte(fiber.HeaderXContentTypeOptions),
		noSniff:      []byte(core.ContentTypeOptions),
	}
}

// write puts r into resp: status, Content-Type, Cache-Control: no-store,
// X-Content-Type-Options: nosniff, Allow on a 405, and the body itself
// (not a copy). For HEAD, fasthttp sends Content-Length from the body and
// leaves the body out.
func (n *headerNames) write(resp *fasthttp.Response, r *core.Response) {
	resp.SetStatusCode(r.StatusCode())
	resp.Header.SetContentType(r.ContentType())
	resp.Header.SetCanonical(n.cacheControl, n.noStore)
	resp.Header.SetCanonical(n.noSniffKey, n.noSniff)
	if allow := r.Allow(); allow != "" {
		resp.Header.Set(fiber.HeaderAllow, allow)
	}
	resp.SetBodyRaw(r.Body())
}
