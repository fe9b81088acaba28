package httpcheck_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/probekit/probekit/core/checks/httpcheck"
	"github.com/probekit/probekit/internal/testenv"
)

// TestCheckErrorsHaveNoSecrets sends credentials in the URL and in headers
// to servers that fail in every way, and looks for them in the errors.
func TestCheckErrorsHaveNoSecrets(t *testing.T) {
	t.Parallel()
	const (
		password = "s3cret-pw"
		token    = "t0ken-in-query"
		bearer   = "b3arer-cred"
		apiKey   = "ap1-key-value"
		cookie   = "c00kie-value"
	)
	secrets := []string{password, token, bearer, apiKey, cookie}
	creds := []httpcheck.Option{
		httpcheck.Header("Authorization", "Bearer "+bearer),
		httpcheck.Header("X-Api-Key", apiKey),
		httpcheck.Header("Cookie", "session="+cookie),
	}
	// withCreds puts a password and a token into an http URL.
	withCreds := func(raw string) string {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword("admin", password)
		u.RawQuery = "token=" + token + "&verbose=1"
		return u.String()
	}

	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/unavailable", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, withCreds("https://login.internal/"), http.StatusFound)
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		// A server that echoes what it was sent, credentials and all.
		_ = r.Header.Write(w)
		_, _ = fmt.Fprintln(w, r.URL)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	srv := newServer(t, mux)
	t.Cleanup(func() { close(release) })

	// A body check that carelessly quotes the body in its error.
	careless := httpcheck.ExpectBodyFunc(func(b []byte) error { return fmt.Errorf("unexpected body %q", b) })
	tests := []struct {
		name     string
		giveURL  string
		giveOpts []httpcheck.Option
		giveWait time.Duration
	}{
		{name: "status", giveURL: srv.URL + "/unavailable"},
		{name: "redirect", giveURL: srv.URL + "/redirect"},
		{name: "body check quoting the body", giveURL: srv.URL + "/echo", giveOpts: []httpcheck.Option{careless}},
		{name: "deadline", giveURL: srv.URL + "/slow", giveWait: testenv.HangDeadline},
		{name: "refused", giveURL: closedURL(t)},
		{name: "too many redirects", giveURL: srv.URL + "/redirect", giveOpts: []httpcheck.Option{httpcheck.FollowRedirects(),
			httpcheck.Client(&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
				return fmt.Errorf("refusing to follow %s", withCreds("https://login.internal/"))
			}})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := append(append([]httpcheck.Option{httpcheck.Client(srv.Client())}, creds...), tt.giveOpts...)
			wait := tt.giveWait
			if wait == 0 {
				wait = testenv.CheckTimeout
			}
			err := testenv.CheckWithin(httpcheck.New(withCreds(tt.giveURL), opts...), wait)
			t.Logf("Check() = %v", err)
			if err == nil {
				t.Fatal("Check() = nil; want an error")
			}
			for _, s := range secrets {
				if strings.Contains(err.Error(), s) {
					t.Errorf("Check() = %q; want no %q in it", err, s)
				}
			}
			if !strings.Contains(err.Error(), "://admin:xxxxx@127.0.0.1:") {
				t.Errorf("Check() = %q; want the URL in it with its password redacted", err)
			}
		})
	}

	// The credentials did reach the server.
	c := httpcheck.New(withCreds(srv.URL+"/echo"), append(creds, httpcheck.Client(srv.Client()),
		httpcheck.ExpectBody("Authorization: Bearer "+bearer), httpcheck.ExpectBody(token))...)
	if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
		t.Errorf("Check() = %v; want nil", err)
	}
}
