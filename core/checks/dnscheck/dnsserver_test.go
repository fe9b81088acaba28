package dnscheck_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
)

// dnsServer is a small authoritative DNS server over TCP on loopback, for
// tests that need a name server whose answers they decide: Go's resolver
// speaks real DNS to it. It answers A and AAAA questions for the names it
// knows, NOERROR without answers for other types, and NXDOMAIN for every
// other name. It is closed when the test ends.
type dnsServer struct {
	ln      net.Listener
	records map[string][]netip.Addr // by lower-case name with the final dot
	wg      sync.WaitGroup
	mu      sync.Mutex
	conns   map[net.Conn]struct{}
}

// newDNSServer starts a dnsServer for records, keyed by names such as
// "two.test".
func newDNSServer(t *testing.T, records map[string][]netip.Addr) *dnsServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &dnsServer{ln: ln, records: make(map[string][]netip.Addr), conns: make(map[net.Conn]struct{})}
	for name, addrs := range records {
		s.records[strings.ToLower(strings.TrimSuffix(name, "."))+"."] = addrs
	}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(s.close)
	return s
}

// Addr returns the server's address.
func (s *dnsServer) Addr() string { return s.ln.Addr().String() }

// resolver returns a Go resolver that sends every query to the server at
// addr, whatever /etc/resolv.conf names, over TCP.
func resolver(addr string) *net.Resolver {
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		},
	}
}

func (s *dnsServer) close() {
	_ = s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *dnsServer) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(c)
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
			_ = c.Close()
		}()
	}
}

// serve answers the length-prefixed messages of one connection.
func (s *dnsServer) serve(c net.Conn) {
	for {
		var n uint16
		if err := binary.Read(c, binary.BigEndian, &n); err != nil {
			return
		}
		q := make([]byte, n)
		if _, err := io.ReadFull(c, q); err != nil {
			return
		}
		r := s.answer(q)
		if r == nil {
			return
		}
		var out bytes.Buffer
		_ = binary.Write(&out, binary.BigEndian, uint16(len(r)))
		out.Write(r)
		if _, err := c.Write(out.Bytes()); err != nil {
			return
		}
	}
}

// DNS constants (RFC 1035, RFC 3596).
const (
	typeA      = 1
	typeAAAA   = 28
	rcodeNX    = 3
	flagQR     = 1 << 15
	flagAA     = 1 << 10
	flagRD     = 1 << 8
	flagRA     = 1 << 7
	headerSize = 12
)

// answer returns the response to the query q, or nil for a message it
// cannot read.
func (s *dnsServer) answer(q []byte) []byte {
	if len(q) < headerSize || binary.BigEndian.Uint16(q[4:]) != 1 {
		return nil
	}
	// The question: a name as labels, then type and class.
	var labels []string
	i := headerSize
	for {
		if i >= len(q) {
			return nil
		}
		l := int(q[i])
		i++
		if l == 0 {
			break
		}
		if l >= 64 || i+l > len(q) {
			return nil
		}
		labels = append(labels, string(q[i:i+l]))
		i += l
	}
	if i+4 > len(q) {
		return nil
	}
	question := q[headerSize : i+4]
	qtype := binary.BigEndian.Uint16(q[i:])
	name := strings.ToLower(strings.Join(labels, ".")) + "."

	addrs, known := s.records[name]
	var answers [][]byte
	for _, a := range addrs {
		switch {
		case qtype == typeA && a.Is4():
			answers = append(answers, a.AsSlice())
		case qtype == typeAAAA && a.Is6():
			answers = append(answers, a.AsSlice())
		}
	}

	var r bytes.Buffer
	flags := uint16(flagQR|flagAA|flagRA) | binary.BigEndian.Uint16(q[2:])&flagRD
	if !known {
		flags |= rcodeNX
	}
	_ = binary.Write(&r, binary.BigEndian, []uint16{
		binary.BigEndian.Uint16(q), // the query's ID
		flags,
		1,                    // questions
		uint16(len(answers)), // answers
		0, 0,                 // authority, additional
	})
	r.Write(question)
	for _, rdata := range answers {
		_ = binary.Write(&r, binary.BigEndian, []uint16{
			0xc000 | headerSize, // the name: a pointer to the question's
			qtype,
			1,     // class IN
			0, 60, // TTL
			uint16(len(rdata)),
		})
		r.Write(rdata)
	}
	return r.Bytes()
}
