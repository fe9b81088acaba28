// Package httpcheck provides a [core.Checker] for an HTTP endpoint, such as
// the health URL of a service the application depends on.
//
// # Usage
//
// Hand [New] the URL and, preferably, the *http.Client the application
// already uses for that service, so the check shares its connections,
// proxy, TLS settings and instrumentation:
//
//	h, err := core.New(
//		core.WithCheck("billing", httpcheck.New("https://billing.internal/healthz",
//			httpcheck.Client(billingClient),
//			httpcheck.Header("Authorization", "Bearer "+token),
//		), core.Timeout(time.Second)),
//	)
//	if err != nil {
//		return err
//	}
//	defer h.Close()
//
// Without [Client] the checker uses a client of its own that gives up
// after [DefaultClientTimeout] and keeps no connections between checks;
// it never uses [http.DefaultClient], which has no timeout.
//
// # What passes
//
// Any 2xx status passes by default; [ExpectStatus] sets the exact codes
// instead. [ExpectBody] also requires a substring in the body, and
// [ExpectBodyFunc] runs any test on it, such as decoding a JSON status.
// Bodies are read only up to [MaxBody] (64 KiB by default), never to
// their end: an endpoint that streams without end cannot hold a check.
//
// Redirects are not followed by default: a redirect fails unless its
// status is expected, because a health URL that redirects, for example to
// a login page, is rarely what was meant. [FollowRedirects] follows them
// with the client's own policy.
//
// # Deadlines
//
// Check sends the request in the calling goroutine and returns when the
// client does. Go's transport gives up at the context's deadline, with an
// error wrapping [context.DeadlineExceeded]. An application's transport
// can be wrapped in anything, including something that ignores the
// context; the [core.Health] does not wait for it: it abandons the run at
// the check's timeout ([core.Timeout]) and reports the check failing until
// the run returns. Give the check a timeout below the probe's.
//
// # Errors and secrets
//
// Errors name the method and URL and say what went wrong, such as
//
//	httpcheck: GET https://billing.internal/healthz: status 503 (want 2xx)
//
// and wrap [ErrStatus], [ErrBody], [ErrInvalidConfig] or the client's
// error, so errors.Is works, for example with syscall.ECONNREFUSED. They
// never contain the body. The URL's password and secret-looking query
// parameters (token=, api_key=, …) and the values of credential headers
// ([Header]) are replaced by "xxxxx"; keep other secrets, such as a token
// in the URL's path, out of the URL.
//
// # Observations
//
// A Checker is also a [core.Observer]: after each Check the scheduler
// reads the response time and status code; see [Checker.Observations].
package httpcheck
