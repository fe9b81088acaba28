package testenv

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Ports for test-owned servers are taken below the kernel's ephemeral range
// where it is known (Linux), from minPort up. A port the kernel may hand out
// to an outgoing connection could be taken by one while its server is
// stopped, and Restart would then find it in use for as long as that
// connection lives.
const (
	minPort      = 10000
	clusterBusOf = 10000 // a cluster node's bus port is its port + 10000
)

// freePort returns a loopback port that nothing listens on. For a cluster
// node the bus port, port+10000, must be free as well.
func freePort(cluster bool) (int, error) {
	var lastErr error
	for range 100 {
		port, err := candidatePort(cluster)
		if err != nil {
			return 0, err
		}
		if lastErr = probePort(port); lastErr != nil {
			continue
		}
		if cluster {
			if lastErr = probePort(port + clusterBusOf); lastErr != nil {
				continue
			}
		}
		return port, nil
	}
	return 0, fmt.Errorf("testenv: no free port: %w", lastErr)
}

// candidatePort picks a random port below the ephemeral range, or lets the
// kernel pick one where that range is unknown or leaves no room.
func candidatePort(cluster bool) (int, error) {
	hi := ephemeralLow() - 1
	if cluster {
		hi -= clusterBusOf
	}
	if hi-minPort >= 1000 {
		return minPort + rand.IntN(hi-minPort+1), nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// probePort reports whether 127.0.0.1:port can be listened on.
func probePort(port int) error {
	if port > 65535 {
		return fmt.Errorf("testenv: port %d out of range", port)
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return err
	}
	return l.Close()
}

// ephemeralLow returns the first port of the kernel's ephemeral range, or 0
// where it is unknown.
func ephemeralLow() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return 0
	}
	lo, err := strconv.Atoi(f[0])
	if err != nil {
		return 0
	}
	return lo
}

// FreeAddr returns a 127.0.0.1 address with a port nothing listens on, for
// a server the test starts itself (such as an example app).
func FreeAddr(t testing.TB) string {
	t.Helper()
	port, err := freePort(false)
	if err != nil {
		t.Fatal(err)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}
