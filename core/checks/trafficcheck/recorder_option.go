package trafficcheck

// DefaultSize is how many requests a [Recorder] holds unless [Size] says
// otherwise: 4096 requests, 32 KiB.
const DefaultSize = 4096

// RecorderOption configures a [Recorder]; pass options to [NewRecorder].
type RecorderOption interface {
	applyRecorder(*recorderConfig)
}

type recorderConfig struct {
	size   int
	failed func(code int) bool
}

type recorderOptionFunc func(*recorderConfig)

func (f recorderOptionFunc) applyRecorder(c *recorderConfig) { f(c) }

// Size sets how many requests the Recorder holds: the most a [Checker]
// judges at once, however long its window. It is rounded up to a power of
// two, and to at least 64. Default [DefaultSize] (4096); zero or negative
// means the default. Each request takes 8 bytes.
//
// When more requests than that end within a Checker's window, the Checker
// judges the most recent ones (about Size of them), a shorter span of
// time; at 4096, a p99 still rests on about 40 requests slower than it.
func Size(n int) RecorderOption {
	return recorderOptionFunc(func(c *recorderConfig) {
		if n <= 0 {
			n = DefaultSize
		}
		c.size = n
	})
}

// FailureFunc sets which HTTP status codes count as failures. Default
// [ServerError]: the 5xx codes. 4xx codes are the client's doing (a bad
// request, a missing resource, no credentials) and say nothing about the
// server's health. A nil f means the default.
//
// f is called on every request, from the goroutine that serves it: it must
// be fast and safe for concurrent use. For example, to leave out a 503
// that the app sends on purpose when it sheds load:
//
//	trafficcheck.FailureFunc(func(code int) bool {
//		return code != http.StatusServiceUnavailable && trafficcheck.ServerError(code)
//	})
func FailureFunc(f func(code int) bool) RecorderOption {
	return recorderOptionFunc(func(c *recorderConfig) { c.failed = f })
}

// ServerError reports whether code is a 5xx status code, the failures a
// [Recorder] counts by default.
func ServerError(code int) bool { return code >= 500 && code <= 599 }
