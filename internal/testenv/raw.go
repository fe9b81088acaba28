package testenv

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
)

// RawResponse is what [Raw] read back: the status, the header and every
// byte after the header, exactly as sent.
type RawResponse struct {
	Code   int
	Header http.Header
	Body   string
}

// Raw sends one request to addr with the request line as written (the
// target neither cleaned nor escaped), Host: probe.test, Connection: close
// and header (name, value pairs), and reads the whole answer. It is for
// what a client library would normalise: odd targets, HEAD bodies.
func Raw(t testing.TB, addr, method, target string, header ...string) RawResponse {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var req bytes.Buffer
	req.WriteString(method + " " + target + " HTTP/1.1\r\nHost: probe.test\r\nConnection: close\r\n")
	for i := 0; i+1 < len(header); i += 2 {
		req.WriteString(header[i] + ": " + header[i+1] + "\r\n")
	}
	req.WriteString("\r\n")
	if _, err := conn.Write(req.Bytes()); err != nil {
		t.Fatal(err)
	}
	all, err := io.ReadAll(conn)
	if err != nil && !errors.Is(err, net.ErrClosed) {
		t.Fatalf("%s %s: read: %v", method, target, err)
	}
	head, rest, ok := bytes.Cut(all, []byte("\r\n\r\n"))
	if !ok {
		t.Fatalf("%s %s: no complete header in %q", method, target, all)
	}
	// Parse the header alone, so that the body is exactly what was sent.
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(append(head, "\r\n\r\n"...))), &http.Request{Method: http.MethodHead})
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	_ = resp.Body.Close()
	return RawResponse{Code: resp.StatusCode, Header: resp.Header, Body: string(rest)}
}
