package testenv

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// redisDo sends one command to the Redis server at addr on a connection of
// its own and returns the reply: a string for simple and bulk strings, an
// int64 for integers, nil for a null reply and []any for arrays. A Redis
// error reply is returned as an error. The whole exchange must finish
// within timeout.
//
// It speaks just enough RESP2 for the helpers in this package to check a
// server's state without depending on a client library.
func redisDo(addr string, timeout time.Duration, args ...string) (any, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(timeout)); err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := io.WriteString(c, b.String()); err != nil {
		return nil, err
	}
	return readReply(bufio.NewReader(c))
}

// redisError is an error reply from a Redis server, such as "NOAUTH
// Authentication required.": proof that the server is up and answering.
type redisError string

func (e redisError) Error() string { return "testenv: redis: " + string(e) }

// redisString is redisDo for commands whose reply is a string.
func redisString(addr string, timeout time.Duration, args ...string) (string, error) {
	v, err := redisDo(addr, timeout, args...)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("testenv: %s: reply %v is not a string", args[0], v)
	}
	return s, nil
}

// readReply reads one RESP2 reply from r.
func readReply(r *bufio.Reader) (any, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if len(line) < 3 || !strings.HasSuffix(line, "\r\n") {
		return nil, fmt.Errorf("testenv: malformed redis reply %q", line)
	}
	kind, rest := line[0], line[1:len(line)-2]
	switch kind {
	case '+':
		return rest, nil
	case '-':
		return nil, redisError(rest)
	case ':':
		return strconv.ParseInt(rest, 10, 64)
	case '$':
		n, err := strconv.Atoi(rest)
		if err != nil || n < 0 {
			return nil, err
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		return string(buf[:n]), nil
	case '*':
		n, err := strconv.Atoi(rest)
		if err != nil || n < 0 {
			return nil, err
		}
		items := make([]any, n)
		for i := range items {
			if items[i], err = readReply(r); err != nil {
				return nil, err
			}
		}
		return items, nil
	default:
		return nil, fmt.Errorf("testenv: unknown redis reply type %q", line)
	}
}

// fields turns a flat array reply of alternating names and values, such as
// that of SENTINEL MASTER, into a map.
func fields(v any) map[string]string {
	items, _ := v.([]any)
	m := make(map[string]string, len(items)/2)
	for i := 0; i+1 < len(items); i += 2 {
		k, _ := items[i].(string)
		val, _ := items[i+1].(string)
		m[k] = val
	}
	return m
}
