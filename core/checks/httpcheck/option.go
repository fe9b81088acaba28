package httpcheck

import (
	"bytes"
	"net/http"
	"time"
)

// Defaults of a [Checker], used unless an option says otherwise.
const (
	// DefaultMethod is the request method.
	DefaultMethod = http.MethodGet
	// DefaultMaxBody is how much of the response body a body check
	// ([ExpectBody], [ExpectBodyFunc]) reads at most, in bytes.
	DefaultMaxBody = 64 << 10
	// DefaultClientTimeout bounds a whole request made with the checker's
	// own client (see [Client]), even when Check's context has no
	// deadline.
	DefaultClientTimeout = 10 * time.Second
)

// Option configures a [Checker]; pass options to [New].
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// config is what the options set; New turns it into a Checker.
type config struct {
	client  *http.Client
	method  string
	header  http.Header
	status  []int
	body    func([]byte) error
	bodyStr string // the substring of ExpectBody, for error text
	maxBody int64
	follow  bool
}

// Client sets the client the checker sends its request with. Pass the
// application's own *http.Client to share its transport: its connection
// pool (Check reads and closes every body, so connections are reused), its
// proxy and TLS settings and any instrumentation wrapped around it. The
// client is never modified or closed; unless [FollowRedirects] is given,
// Check sends through a copy of it that does not follow redirects (and
// shares its transport and cookie jar).
//
// A nil c, the default, means a client the checker makes for itself: it
// gives up after [DefaultClientTimeout], takes proxies from the
// environment (HTTPS_PROXY, NO_PROXY) as [http.DefaultTransport] does, and
// opens a new connection for every Check, so that it holds no idle
// connections between checks and needs no closing. It never uses
// [http.DefaultClient], which waits for ever.
func Client(c *http.Client) Option {
	return optionFunc(func(cfg *config) { cfg.client = c })
}

// Method sets the request method, such as http.MethodHead. Default
// [DefaultMethod], GET; an empty m means the default. The request never
// has a body. A method that is not a valid HTTP token makes every Check
// fail with [ErrInvalidConfig]. A HEAD response has no body, so a body
// check then sees an empty one.
func Method(m string) Option {
	return optionFunc(func(cfg *config) { cfg.method = m })
}

// Header adds a request header, such as an Authorization for an upstream
// that requires one. Given several times for the same key, it adds every
// value. The key "Host" sets the request's Host (the virtual host asked
// for) instead of a header. By default only the headers Go's client adds
// itself are sent.
//
// The values of credential headers (Authorization, Proxy-Authorization,
// Cookie, and any header whose name contains "Auth", "Token", "Key",
// "Secret", "Password" or "Session") are replaced by "xxxxx" wherever they
// would appear in an error.
func Header(key, value string) Option {
	return optionFunc(func(cfg *config) {
		if cfg.header == nil {
			cfg.header = make(http.Header)
		}
		cfg.header.Add(key, value)
	})
}

// ExpectStatus sets the status codes that pass, exactly. By default any
// 2xx status passes (200–299); no codes also means that default. Every
// other status, a redirect included (see [FollowRedirects]), fails with
// an error wrapping [ErrStatus]. A code outside 100–999 makes every Check
// fail with [ErrInvalidConfig].
func ExpectStatus(codes ...int) Option {
	return optionFunc(func(cfg *config) { cfg.status = append([]int(nil), codes...) })
}

// ExpectBody makes a response pass only if its body contains substr,
// looking at its first [MaxBody] bytes only. Otherwise Check fails with an
// error wrapping [ErrBody], which names substr but never shows the body.
// An empty substr means no body check, the default. Of ExpectBody and
// [ExpectBodyFunc], the last one given wins.
func ExpectBody(substr string) Option {
	return optionFunc(func(cfg *config) {
		cfg.bodyStr = substr
		cfg.body = nil
		if substr != "" {
			want := []byte(substr)
			cfg.body = func(b []byte) error {
				if !bytes.Contains(b, want) {
					return errBodyMissing
				}
				return nil
			}
		}
	})
}

// ExpectBodyFunc makes a response pass only if f returns nil for its body,
// of which f sees the first [MaxBody] bytes at most (a longer body is cut,
// which a JSON decoder reports as an unexpected end). Otherwise Check
// fails with an error wrapping [ErrBody] and f's error; keep the body out
// of that error, as it may end up in a probe's answer. f is called only
// for a response whose status passed. It must be safe for concurrent use
// if the Checker is (a [core.Health] runs one Check per registered check
// at a time). A nil f means no body check, the default. Of [ExpectBody]
// and ExpectBodyFunc, the last one given wins.
func ExpectBodyFunc(f func(body []byte) error) Option {
	return optionFunc(func(cfg *config) {
		cfg.bodyStr = ""
		cfg.body = f
	})
}

// MaxBody sets how many bytes of the body a body check reads at most.
// Default [DefaultMaxBody], 64 KiB; zero or negative means the default.
// Without a body check Check reads no more than a few KiB, only so that
// the connection can be reused; a larger body makes the transport close
// the connection instead of reading the rest.
func MaxBody(n int64) Option {
	return optionFunc(func(cfg *config) { cfg.maxBody = n })
}

// FollowRedirects makes Check follow redirects as the client's own
// policy says (Go's default: up to 10, dropping Authorization on a
// redirect to another host) and judge the final response.
//
// By default Check does not follow redirects and judges the redirect
// itself, which fails unless its status is expected ([ExpectStatus]):
// a health endpoint that redirects is usually misconfigured, and a
// redirect to a login page ending in 200 would otherwise pass. The error
// names where the redirect points, such as
//
//	httpcheck: GET http://10.0.0.7/health: status 302 (want 2xx), redirect to /login
func FollowRedirects() Option {
	return optionFunc(func(cfg *config) { cfg.follow = true })
}
