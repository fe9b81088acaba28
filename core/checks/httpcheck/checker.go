package httpcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/internal/ctxerr"
)

var (
	_ core.Checker  = (*Checker)(nil)
	_ core.Observer = (*Checker)(nil)
)

// Checker checks an HTTP endpoint, such as an upstream service's health
// URL: it sends one request and passes if the response has an expected
// status ([ExpectStatus], any 2xx by default) and, optionally, an
// expected body ([ExpectBody], [ExpectBodyFunc]). It does not follow
// redirects unless told to ([FollowRedirects]).
//
// It reports the response time and status code as observations; see
// [Checker.Observations]. A Checker is safe for concurrent use.
type Checker struct {
	client  *http.Client
	req     *http.Request // the request each Check clones; nil if err is set
	target  string        // "GET https://host/path", redacted, for errors
	status  []int         // nil: any 2xx
	want    string        // the expected statuses, for errors
	body    func([]byte) error
	bodyStr string
	maxBody int64
	secrets []string // replaced in error text, longest first
	err     error    // the configuration error every Check returns

	obs atomic.Pointer[[]core.Observation]
}

// New returns a Checker that requests rawURL, an absolute http or https
// URL, as the options say; see [Option] for each and its default. New
// never fails: an invalid URL, method or status makes every Check fail
// with an error wrapping [ErrInvalidConfig], which [Checker.Validate]
// returns at once.
//
// Prefer the application's own client ([Client]); without one the checker
// uses a client of its own with timeouts, never [http.DefaultClient].
func New(rawURL string, opts ...Option) *Checker {
	cfg := config{}
	for _, o := range opts {
		if o != nil { // a nil option is ignored, as in core
			o.apply(&cfg)
		}
	}
	if cfg.method == "" {
		cfg.method = DefaultMethod
	}
	if cfg.maxBody <= 0 {
		cfg.maxBody = DefaultMaxBody
	}
	client := cfg.client
	if client == nil {
		client = defaultClient()
	}
	if !cfg.follow {
		client = withoutRedirects(client)
	}
	c := &Checker{
		client:  client,
		status:  cfg.status,
		want:    wantText(cfg.status),
		body:    cfg.body,
		bodyStr: cfg.bodyStr,
		maxBody: cfg.maxBody,
		secrets: headerSecrets(cfg.header),
	}
	c.err = c.init(rawURL, cfg)
	return c
}

// init parses and validates the configuration and builds the request.
func (c *Checker) init(rawURL string, cfg config) error {
	invalid := func(format string, args ...any) error {
		text := "httpcheck: invalid configuration: " + fmt.Sprintf(format, args...)
		return &checkError{text: redact(text, c.secrets), errs: []error{ErrInvalidConfig}}
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return invalid("URL %s: %v", redact(rawURL, c.secrets), err)
	}
	if pw, ok := u.User.Password(); ok && pw != "" {
		c.secrets = append([]string{pw}, c.secrets...)
	}
	c.target = cfg.method + " " + redact(u.Redacted(), c.secrets)
	if u.Scheme != "http" && u.Scheme != "https" {
		return invalid("URL %s: scheme %q, want http or https", redact(u.Redacted(), c.secrets), u.Scheme)
	}
	if u.Host == "" {
		return invalid("URL %s: no host", redact(u.Redacted(), c.secrets))
	}
	for _, code := range cfg.status {
		if code < 100 || code > 999 {
			return invalid("expected status %d, want 100–999", code)
		}
	}
	req, err := http.NewRequest(cfg.method, u.String(), nil)
	if err != nil {
		return invalid("%v", err)
	}
	for k, vs := range cfg.header {
		if k == "Host" {
			req.Host = vs[len(vs)-1]
			continue
		}
		req.Header[k] = vs
	}
	c.req = req
	return nil
}

// Validate returns the error every Check of c returns because of its
// configuration (an invalid URL, method or expected status), wrapping
// [ErrInvalidConfig], or nil if the configuration is valid. [core.New] calls it
// (c is a [core.Validator]), so a URL that came from configuration that does not
// parse fails at startup.
func (c *Checker) Validate() error { return c.err }

// Check sends the request and returns nil if the response passed: an
// expected status and, with a body check, an expected body. The body is
// read up to [MaxBody] for a body check and otherwise only a few KiB, then
// closed, so that the connection is reused when the body was short.
//
// Check sends the request in the calling goroutine and returns when the
// client does. Go's transport gives up at ctx's deadline, and the error
// then wraps ctx's error (errors.Is(err, context.DeadlineExceeded) holds).
// A [core.Health] does not wait for a client whose transport ignores ctx:
// it abandons the run at its timeout ([core.Timeout]) and reports the
// check failing until the run returns. A panic in the client or the body
// check is returned as an error.
//
// Errors name the method and URL and say what went wrong:
//
//	httpcheck: GET https://api.internal/health: status 503 (want 2xx)
//	httpcheck: GET https://api.internal/health: body does not contain "ok"
//	httpcheck: GET https://api.internal/health: dial tcp 10.0.0.7:443: connect: connection refused
//
// They wrap [ErrStatus], [ErrBody] or the client's error, never show the
// body, and have the URL's password, secret-looking query parameters and
// credential header values (see [Header]) replaced by "xxxxx".
func (c *Checker) Check(ctx context.Context) (err error) {
	if c.err != nil {
		c.obs.Store(nil)
		return c.err
	}
	var r response
	defer func() {
		if p := recover(); p != nil {
			// The application's transport or body check.
			perr := fmt.Errorf("panic: %v", p)
			err = c.fail(perr.Error(), perr)
		}
		c.record(r)
	}()
	r, err = c.do(ctx)
	return err
}

// response is what Check learns from a response.
type response struct {
	code int           // 0 if there was none
	wait time.Duration // from sending the request to the response headers
}

// do sends the request and judges the response.
func (c *Checker) do(ctx context.Context) (response, error) {
	start := time.Now()
	resp, err := c.client.Do(c.req.Clone(ctx))
	if err != nil {
		detail := err
		var ue *url.Error
		if errors.As(err, &ue) {
			detail = ue.Err
		}
		return response{}, c.fail(ctxerr.Wrap(ctx, detail).Error(), ctxerr.Wrap(ctx, err))
	}
	defer closeBody(resp.Body)
	r := response{code: resp.StatusCode, wait: time.Since(start)}
	if !c.statusOK(resp.StatusCode) {
		detail := "status " + strconv.Itoa(resp.StatusCode) + " (want " + c.want + ")"
		if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode >= 300 && resp.StatusCode < 400 {
			detail += ", redirect to " + loc
		}
		return r, c.fail(detail, ErrStatus)
	}
	if c.body == nil {
		return r, nil
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody))
	if err != nil {
		err = ctxerr.Wrap(ctx, err)
		return r, c.fail("read body: "+err.Error(), err)
	}
	if err := c.body(b); err != nil {
		if c.bodyStr != "" {
			return r, c.fail(fmt.Sprintf("body does not contain %q", c.bodyStr), ErrBody)
		}
		return r, c.fail("body: "+err.Error(), ErrBody, err)
	}
	return r, nil
}

// statusOK reports whether code is an expected status.
func (c *Checker) statusOK(code int) bool {
	if c.status == nil {
		return code >= 200 && code < 300
	}
	for _, s := range c.status {
		if s == code {
			return true
		}
	}
	return false
}

// fail returns the error of a failed Check: the target and detail, with
// secrets redacted, wrapping errs.
func (c *Checker) fail(detail string, errs ...error) error {
	return &checkError{text: "httpcheck: " + c.target + ": " + redact(detail, c.secrets), errs: errs}
}

// closeBody reads what is left of a short body, so that the connection
// can be reused, and closes it.
func closeBody(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, drainLimit)
	_ = body.Close()
}

// wantText describes the expected statuses for errors: "2xx", "200" or
// "200, 204".
func wantText(codes []int) string {
	if len(codes) == 0 {
		return "2xx"
	}
	s := make([]string, len(codes))
	for i, code := range codes {
		s[i] = strconv.Itoa(code)
	}
	return strings.Join(s, ", ")
}
