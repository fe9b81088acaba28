package httpcheck

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/probekit/probekit/core"
)

// Sentinel errors, for errors.Is. The errors Check returns wrap them and
// add detail to their text.
var (
	// ErrStatus is wrapped by the error of a Check whose response had a
	// status that was not expected (see [ExpectStatus]), such as
	// "httpcheck: GET https://api.internal/health: status 503 (want 2xx)".
	ErrStatus = errors.New("httpcheck: unexpected status")
	// ErrBody is wrapped by the error of a Check whose response body did
	// not pass the body check ([ExpectBody], [ExpectBodyFunc]).
	ErrBody = errors.New("httpcheck: unexpected body")
	// ErrInvalidConfig is wrapped by the error of every Check of a
	// Checker made with an invalid URL, method or expected status; see
	// [Checker.Validate]. Such a Checker sends no request.
	ErrInvalidConfig = errors.New("httpcheck: invalid configuration")
)

// errBodyMissing is the body check error of ExpectBody.
var errBodyMissing = errors.New("substring not found")

// redacted replaces a secret in error text.
const redacted = "xxxxx"

// checkError is a failed Check: its text, with secrets redacted, and the
// errors it wraps, for errors.Is and errors.As. The wrapped errors are the
// originals, whose own text may hold what the redacted text does not.
type checkError struct {
	text string
	errs []error
}

func (e *checkError) Error() string   { return e.text }
func (e *checkError) Unwrap() []error { return e.errs }

// secretHeader reports whether the values of the header named key are
// credentials, to be kept out of error text.
func secretHeader(key string) bool {
	switch http.CanonicalHeaderKey(key) {
	case "Authorization", "Proxy-Authorization", "Cookie":
		return true
	}
	k := strings.ToLower(key)
	for _, s := range []string{"auth", "token", "key", "secret", "password", "session"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// headerSecrets returns the credentials among h's values, longest first:
// each whole value and, for a value such as "Bearer t0ken", its part after
// the scheme.
func headerSecrets(h http.Header) []string {
	var out []string
	for k, vs := range h {
		if !secretHeader(k) {
			continue
		}
		for _, v := range vs {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			out = append(out, v)
			if _, cred, ok := strings.Cut(v, " "); ok && strings.TrimSpace(cred) != "" {
				out = append(out, strings.TrimSpace(cred))
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return slices.Compact(out)
}

// redact returns s with every secret replaced and then what [core.Redact]
// recognises.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		s = strings.ReplaceAll(s, sec, redacted)
	}
	return core.Redact(s)
}
