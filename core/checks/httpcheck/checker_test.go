package httpcheck_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/probekit/probekit/core/checks/httpcheck"
	"github.com/probekit/probekit/internal/testenv"
)

func TestCheckStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		giveCode  int
		giveOpts  []httpcheck.Option
		wantErr   string // the error's text after the URL; empty: nil
		wantCause error
	}{
		{name: "200", giveCode: 200},
		{name: "204", giveCode: 204},
		{name: "299", giveCode: 299},
		{name: "503", giveCode: 503, wantErr: "status 503 (want 2xx)", wantCause: httpcheck.ErrStatus},
		{name: "404", giveCode: 404, wantErr: "status 404 (want 2xx)", wantCause: httpcheck.ErrStatus},
		{name: "exact: 200 only", giveCode: 204, giveOpts: []httpcheck.Option{httpcheck.ExpectStatus(200)},
			wantErr: "status 204 (want 200)", wantCause: httpcheck.ErrStatus},
		{name: "exact: several", giveCode: 500, giveOpts: []httpcheck.Option{httpcheck.ExpectStatus(200, 204)},
			wantErr: "status 500 (want 200, 204)", wantCause: httpcheck.ErrStatus},
		{name: "exact: an error status", giveCode: 418, giveOpts: []httpcheck.Option{httpcheck.ExpectStatus(418)}},
		{name: "no codes is the default", giveCode: 202, giveOpts: []httpcheck.Option{httpcheck.ExpectStatus()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tt.giveCode)
			}))
			url := srv.URL + "/health"
			c := httpcheck.New(url, append(tt.giveOpts, httpcheck.Client(srv.Client()))...)
			err := testenv.CheckWithin(c, testenv.CheckTimeout)
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("Check() = %v; want nil", err)
				}
			} else {
				want := "httpcheck: GET " + url + ": " + tt.wantErr
				if err == nil || err.Error() != want {
					t.Errorf("Check() = %v; want %s", err, want)
				}
				if !errors.Is(err, tt.wantCause) {
					t.Errorf("Check() = %v; want an error wrapping %v", err, tt.wantCause)
				}
			}
			if got := testenv.Observed(c)["status_code"].Value; got != float64(tt.giveCode) {
				t.Errorf("Observations() status_code = %v; want %d", got, tt.giveCode)
			}
		})
	}
}

func TestCheckBody(t *testing.T) {
	t.Parallel()
	errNotReady := errors.New(`status is not "ok"`)
	jsonStatus := func(b []byte) error {
		var v struct{ Status string }
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		if v.Status != "ok" {
			return errNotReady
		}
		return nil
	}
	tests := []struct {
		name      string
		giveCode  int
		giveBody  string
		giveOpts  []httpcheck.Option
		wantErr   string // the error's text after the URL; empty: nil
		wantCause []error
	}{
		{name: "substring", giveBody: `{"status":"ok"}`, giveOpts: []httpcheck.Option{httpcheck.ExpectBody(`"ok"`)}},
		{name: "wrong body", giveBody: `{"status":"starting"}`, giveOpts: []httpcheck.Option{httpcheck.ExpectBody(`"ok"`)},
			wantErr: `body does not contain "\"ok\""`, wantCause: []error{httpcheck.ErrBody}},
		{name: "empty substring: no check", giveBody: "anything", giveOpts: []httpcheck.Option{httpcheck.ExpectBody("")}},
		{name: "func", giveBody: `{"status":"ok"}`, giveOpts: []httpcheck.Option{httpcheck.ExpectBodyFunc(jsonStatus)}},
		{name: "func fails", giveBody: `{"status":"down"}`, giveOpts: []httpcheck.Option{httpcheck.ExpectBodyFunc(jsonStatus)},
			wantErr: `body: status is not "ok"`, wantCause: []error{httpcheck.ErrBody, errNotReady}},
		{name: "func: last wins", giveBody: `{"status":"down"}`,
			giveOpts: []httpcheck.Option{httpcheck.ExpectBodyFunc(jsonStatus), httpcheck.ExpectBody("status")}},
		{name: "status first", giveCode: 503, giveBody: `{"status":"ok"}`, giveOpts: []httpcheck.Option{httpcheck.ExpectBody("ok")},
			wantErr: "status 503 (want 2xx)", wantCause: []error{httpcheck.ErrStatus}},
		{name: "beyond MaxBody", giveBody: strings.Repeat("x", 100) + "ok",
			giveOpts: []httpcheck.Option{httpcheck.ExpectBody("ok"), httpcheck.MaxBody(100)},
			wantErr:  `body does not contain "ok"`, wantCause: []error{httpcheck.ErrBody}},
		{name: "within MaxBody", giveBody: strings.Repeat("x", 100) + "ok",
			giveOpts: []httpcheck.Option{httpcheck.ExpectBody("ok"), httpcheck.MaxBody(102)}},
		{name: "func sees at most MaxBody", giveBody: strings.Repeat("x", 1000),
			giveOpts: []httpcheck.Option{httpcheck.MaxBody(10), httpcheck.ExpectBodyFunc(func(b []byte) error {
				if len(b) != 10 {
					return fmt.Errorf("got %d bytes", len(b))
				}
				return nil
			})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if tt.giveCode != 0 {
					w.WriteHeader(tt.giveCode)
				}
				_, _ = w.Write([]byte(tt.giveBody))
			}))
			c := httpcheck.New(srv.URL, append(tt.giveOpts, httpcheck.Client(srv.Client()))...)
			err := testenv.CheckWithin(c, testenv.CheckTimeout)
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("Check() = %v; want nil", err)
				}
				return
			}
			want := "httpcheck: GET " + srv.URL + ": " + tt.wantErr
			if err == nil || err.Error() != want {
				t.Errorf("Check() = %v; want %s", err, want)
			}
			for _, cause := range tt.wantCause {
				if !errors.Is(err, cause) {
					t.Errorf("Check() = %v; want an error wrapping %v", err, cause)
				}
			}
		})
	}
}

// TestCheckHugeBody serves a body without end: Check must read a bounded
// part of it and return long before its deadline, pass or fail.
func TestCheckHugeBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		giveOpts []httpcheck.Option
		wantErr  error
	}{
		{name: "no body check"},
		{name: "substring at the start", giveOpts: []httpcheck.Option{httpcheck.ExpectBody("ok")}},
		{name: "substring never comes", giveOpts: []httpcheck.Option{httpcheck.ExpectBody("never")}, wantErr: httpcheck.ErrBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var written atomic.Int64
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				chunk := []byte("ok" + strings.Repeat(".", 32<<10-2))
				for r.Context().Err() == nil {
					n, err := w.Write(chunk)
					written.Add(int64(n))
					if err != nil {
						return
					}
				}
			}))
			c := httpcheck.New(srv.URL, append(tt.giveOpts, httpcheck.Client(srv.Client()))...)
			start := time.Now()
			err := testenv.CheckWithin(c, testenv.CheckTimeout)
			t.Logf("Check() = %v after %v; the server wrote %d KiB so far", err, time.Since(start).Round(time.Millisecond), written.Load()>>10)
			if tt.wantErr == nil && err != nil {
				t.Errorf("Check() = %v; want nil", err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Check() = %v; want an error wrapping %v", err, tt.wantErr)
			}
			if errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Check() = %v; want it to stop reading long before its deadline", err)
			}
		})
	}
}

// TestCheckSlowServer runs Check against a server that answers only when
// the test ends: with a client that honours the context, Check gives up at
// its deadline.
func TestCheckSlowServer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		giveClient func(t *testing.T) *http.Client
	}{
		{name: "default client", giveClient: func(*testing.T) *http.Client { return nil }},
		{name: "application's client", giveClient: newClient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			release := make(chan struct{})
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				<-release
				w.WriteHeader(http.StatusOK)
			}))
			t.Cleanup(func() { close(release) }) // before srv.Close, which waits for the handler
			url := srv.URL + "/slow"
			c := httpcheck.New(url, httpcheck.Client(tt.giveClient(t)))
			start := time.Now()
			err := testenv.CheckWithin(c, testenv.HangDeadline)
			t.Logf("Check() = %v after %v", err, time.Since(start).Round(time.Millisecond))
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Check() = %v; want an error wrapping context.DeadlineExceeded", err)
			}
			if want := "httpcheck: GET " + url + ": context deadline exceeded"; err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Check() = %v; want it to start %q", err, want)
			}
			if obs := c.Observations(); obs != nil {
				t.Errorf("Observations() = %v; want nil after no response", obs)
			}
		})
	}
}

// TestCheckTransportIgnoringContext runs a Checker whose client's
// transport ignores the context in a core.Health, against a server that
// stops answering: Check waits for the transport, and the Health abandons
// each run at its timeout and reports the check failing, with no
// observations, until the server answers again.
func TestCheckTransportIgnoringContext(t *testing.T) {
	t.Parallel()
	var hang atomic.Pointer[chan struct{}] // while set, requests wait for it to close
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if ch := hang.Load(); ch != nil {
			<-*ch // not r.Context(): a detached request is never canceled
		}
	}))
	release := func() {
		if ch := hang.Swap(nil); ch != nil {
			close(*ch)
		}
	}
	t.Cleanup(release) // before srv.Close, which waits for the handlers
	client := newClient(t)
	client.Transport = detached{client.Transport}
	c := httpcheck.New(srv.URL, httpcheck.Client(client))

	st := assertHangInHealth(t, c,
		func() { ch := make(chan struct{}); hang.Store(&ch) },
		release,
		stillRunning)
	if st.Observations != nil {
		t.Errorf("Observations while the request hangs = %v; want nil", st.Observations)
	}
}

// detached is a transport that ignores its requests' contexts, as a
// wrapper that detaches them for its own retries or tracing would.
type detached struct{ base http.RoundTripper }

func (d detached) RoundTrip(r *http.Request) (*http.Response, error) {
	return d.base.RoundTrip(r.WithContext(context.WithoutCancel(r.Context())))
}

func TestCheckRefused(t *testing.T) {
	t.Parallel()
	url := closedURL(t)
	for _, client := range []*http.Client{nil, newClient(t)} {
		c := httpcheck.New(url, httpcheck.Client(client))
		err := testenv.CheckWithin(c, testenv.CheckTimeout)
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("Check() = %v; want an error wrapping ECONNREFUSED", err)
		}
		if want := "httpcheck: GET " + url + ": dial tcp "; err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Check() = %v; want it to start %q", err, want)
		}
		if obs := c.Observations(); obs != nil {
			t.Errorf("Observations() = %v; want nil after no response", obs)
		}
	}
}

func TestCheckRedirect(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.Handle("/health", http.RedirectHandler("/login", http.StatusFound))
	mux.HandleFunc("/login", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("please log in")) })
	srv := newServer(t, mux)
	errStop := errors.New("no redirects to /login")
	stopping := *srv.Client() // a copy: Client returns the same one every time
	stopping.CheckRedirect = func(*http.Request, []*http.Request) error { return errStop }

	tests := []struct {
		name     string
		giveOpts []httpcheck.Option
		wantErr  string // the error's text after the URL; empty: nil
		wantIs   error
		wantCode int
	}{
		{name: "not followed", wantErr: "status 302 (want 2xx), redirect to /login", wantIs: httpcheck.ErrStatus, wantCode: 302},
		{name: "expected", giveOpts: []httpcheck.Option{httpcheck.ExpectStatus(302)}, wantCode: 302},
		{name: "followed", giveOpts: []httpcheck.Option{httpcheck.FollowRedirects()}, wantCode: 200},
		{name: "followed, body of the last", giveOpts: []httpcheck.Option{httpcheck.FollowRedirects(), httpcheck.ExpectBody("healthy")},
			wantErr: `body does not contain "healthy"`, wantIs: httpcheck.ErrBody, wantCode: 200},
		{name: "the client's policy", giveOpts: []httpcheck.Option{httpcheck.FollowRedirects(), httpcheck.Client(&stopping)},
			wantErr: "no redirects to /login", wantIs: errStop},
		{name: "the client's policy is replaced unless followed", giveOpts: []httpcheck.Option{httpcheck.Client(&stopping)},
			wantErr: "status 302 (want 2xx), redirect to /login", wantIs: httpcheck.ErrStatus, wantCode: 302},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			url := srv.URL + "/health"
			c := httpcheck.New(url, append([]httpcheck.Option{httpcheck.Client(srv.Client())}, tt.giveOpts...)...)
			err := testenv.CheckWithin(c, testenv.CheckTimeout)
			if tt.wantErr == "" && err != nil {
				t.Errorf("Check() = %v; want nil", err)
			}
			if want := "httpcheck: GET " + url + ": " + tt.wantErr; tt.wantErr != "" && (err == nil || err.Error() != want) {
				t.Errorf("Check() = %v; want %s", err, want)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("Check() = %v; want an error wrapping %v", err, tt.wantIs)
			}
			if got := testenv.Observed(c)["status_code"].Value; got != float64(tt.wantCode) {
				t.Errorf("Observations() status_code = %v; want %d", got, tt.wantCode)
			}
		})
	}
}

// TestCheckReusesConnections runs several Checks through one client with
// keep-alives: every body is read or drained and closed, so one
// connection serves them all.
func TestCheckReusesConnections(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		giveCode int
		giveBody string
		giveOpts []httpcheck.Option
		wantErr  bool
	}{
		{name: "unread body", giveCode: 200, giveBody: strings.Repeat("x", 1000)},
		{name: "read body", giveCode: 200, giveBody: "ok", giveOpts: []httpcheck.Option{httpcheck.ExpectBody("ok")}},
		{name: "failing status", giveCode: 503, giveBody: strings.Repeat("x", 1000), wantErr: true},
		{name: "failing body", giveCode: 200, giveBody: "starting", giveOpts: []httpcheck.Option{httpcheck.ExpectBody("ok")}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var conns connCounter
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tt.giveCode)
				_, _ = w.Write([]byte(tt.giveBody))
			}), func(s *http.Server) { s.ConnState = conns.hook })
			c := httpcheck.New(srv.URL, append(tt.giveOpts, httpcheck.Client(newClient(t)))...)
			const runs = 5
			for range runs {
				if err := testenv.CheckWithin(c, testenv.CheckTimeout); (err != nil) != tt.wantErr {
					t.Fatalf("Check() = %v; want an error: %v", err, tt.wantErr)
				}
			}
			if n := conns.count(); n != 1 {
				t.Errorf("%d Checks opened %d connections; want 1", runs, n)
			}
		})
	}
}

// TestCheckDefaultClient shows the default client keeps no connection
// between Checks (and goleak that it leaves nothing behind).
func TestCheckDefaultClient(t *testing.T) {
	t.Parallel()
	var conns connCounter
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}),
		func(s *http.Server) { s.ConnState = conns.hook })
	c := httpcheck.New(srv.URL)
	const runs = 3
	for range runs {
		if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
			t.Fatalf("Check() = %v; want nil", err)
		}
	}
	if n := conns.count(); n != runs {
		t.Errorf("%d Checks with the default client opened %d connections; want %d", runs, n, runs)
	}
}

func TestCheckTLS(t *testing.T) {
	t.Parallel()
	srv := newTLSServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	if err := testenv.CheckWithin(httpcheck.New(srv.URL, httpcheck.Client(srv.Client())), testenv.CheckTimeout); err != nil {
		t.Errorf("Check() with a client trusting the server = %v; want nil", err)
	}
	err := testenv.CheckWithin(httpcheck.New(srv.URL), testenv.CheckTimeout)
	t.Logf("Check() with the default client = %v", err)
	if want := "httpcheck: GET " + srv.URL + ": tls: failed to verify certificate: x509: "; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Check() with the default client = %v; want it to start %q", err, want)
	}
}

func TestCheckRequest(t *testing.T) {
	t.Parallel()
	type seen struct {
		method, host, auth, accept string
		agents                     []string
	}
	got := make(chan seen, 1)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- seen{r.Method, r.Host, r.Header.Get("Authorization"), r.Header.Get("Accept"), r.Header.Values("X-Probe")}
		_, _ = w.Write([]byte("ok"))
	}))
	c := httpcheck.New(srv.URL,
		httpcheck.Client(srv.Client()),
		httpcheck.Method(http.MethodHead),
		httpcheck.Header("Authorization", "Bearer t0ken"),
		httpcheck.Header("accept", "application/json"),
		httpcheck.Header("X-Probe", "a"),
		httpcheck.Header("X-Probe", "b"),
		httpcheck.Header("Host", "api.internal"),
	)
	if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
		t.Fatalf("Check() = %v; want nil", err)
	}
	s := <-got
	want := seen{"HEAD", "api.internal", "Bearer t0ken", "application/json", []string{"a", "b"}}
	if fmt.Sprint(s) != fmt.Sprint(want) {
		t.Errorf("the server saw %+v; want %+v", s, want)
	}
	// Each Check sends the same request again.
	if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
		t.Fatalf("Check() = %v; want nil", err)
	}
	if s := <-got; fmt.Sprint(s) != fmt.Sprint(want) {
		t.Errorf("the server saw %+v the second time; want %+v", s, want)
	}
}

func TestCheckObservations(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	c := httpcheck.New(srv.URL, httpcheck.Client(srv.Client()))
	if obs := c.Observations(); obs != nil {
		t.Errorf("Observations() before any Check = %v; want nil", obs)
	}
	_ = testenv.CheckWithin(c, testenv.CheckTimeout)
	if got, want := strings.Join(testenv.ObservationNames(c), " "), "response_time status_code"; got != want {
		t.Errorf("Observations() names = %s; want %s", got, want)
	}
	o := testenv.Observed(c)
	if rt := o["response_time"]; rt.Unit != "ms" || rt.Value <= 0 || rt.Value > float64(testenv.CheckTimeout/time.Millisecond) {
		t.Errorf("Observations() response_time = %v %q; want a positive number of ms", rt.Value, rt.Unit)
	}
	if got := o["status_code"].Value; got != 503 {
		t.Errorf("Observations() status_code = %v; want 503", got)
	}
}

func TestNewInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		giveURL  string
		giveOpts []httpcheck.Option
		wantErr  string
	}{
		{name: "unparsable", giveURL: "http://[::1", wantErr: `httpcheck: invalid configuration: URL http://[::1: missing ']' in host`},
		{name: "unparsable with a password", giveURL: "http://u:s3cret@[::1",
			wantErr: `httpcheck: invalid configuration: URL http://u:xxxxx@[::1: missing ']' in host`},
		{name: "relative", giveURL: "/health", wantErr: `httpcheck: invalid configuration: URL /health: scheme "", want http or https`},
		{name: "scheme", giveURL: "ftp://files.internal/", wantErr: `httpcheck: invalid configuration: URL ftp://files.internal/: scheme "ftp", want http or https`},
		{name: "no host", giveURL: "http:///health", wantErr: `httpcheck: invalid configuration: URL http:///health: no host`},
		{name: "method", giveURL: "http://127.0.0.1/", giveOpts: []httpcheck.Option{httpcheck.Method("GET /")},
			wantErr: `httpcheck: invalid configuration: net/http: invalid method "GET /"`},
		{name: "status", giveURL: "http://127.0.0.1/", giveOpts: []httpcheck.Option{httpcheck.ExpectStatus(200, 42)},
			wantErr: `httpcheck: invalid configuration: expected status 42, want 100–999`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := httpcheck.New(tt.giveURL, tt.giveOpts...)
			err := c.Validate()
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Validate() = %v; want %s", err, tt.wantErr)
			}
			if !errors.Is(err, httpcheck.ErrInvalidConfig) {
				t.Errorf("Validate() = %v; want an error wrapping ErrInvalidConfig", err)
			}
			if got := testenv.CheckWithin(c, testenv.CheckTimeout); got != err {
				t.Errorf("Check() = %v; want Validate()'s error %v", got, err)
			}
		})
	}
	if err := httpcheck.New("https://api.internal/health").Validate(); err != nil {
		t.Errorf("Validate() of a valid configuration = %v; want nil", err)
	}
}
