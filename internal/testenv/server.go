package testenv

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
)

// NewServer starts handler on a real loopback server whose error log is
// discarded (a test that panics on purpose must not spam the output),
// closed when the test ends.
func NewServer(t testing.TB, handler http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(handler)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// Send sends method target (a path) to srv, reads the whole answer and
// returns its status code and body; a failed request fails the test.
func Send(t testing.TB, srv *httptest.Server, method, target string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	return resp.StatusCode, string(body)
}
