package testenv

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// proxyMode is what a [Proxy] does with connections.
type proxyMode uint8

const (
	modePass proxyMode = iota
	modeRefuse
	modeBlackhole
)

// proxyDialTimeout bounds the proxy's own dial to its target.
const proxyDialTimeout = 5 * time.Second

// proxyQueue is how many chunks a direction of a proxied connection holds
// while blackholed or delayed before it stops reading from its source, so a
// stalled direction pushes back on the sender as a stalled network would.
const proxyQueue = 64

// Proxy is a TCP proxy in front of a real server, for tests that need the
// network between a client and its server to fail on demand. Clients
// connect to [Proxy.Addr] instead of the server; every accepted connection
// gets its own connection to the target.
//
// The proxy forwards traffic ([Proxy.Pass]) until told otherwise, and its
// mode can be switched at any time, also while connections are live:
// [Proxy.Refuse] refuses new connections and resets the existing ones,
// [Proxy.Blackhole] accepts connections but forwards nothing, [Proxy.Reset]
// resets the existing connections once, and [Proxy.Latency] delays
// everything it forwards. Its methods are safe for concurrent use.
//
// The proxy is closed in t.Cleanup, which closes every connection and waits
// for every goroutine it started, so tests using it stay goleak-clean.
type Proxy struct {
	t      testing.TB
	target string
	addr   string // the listening address; kept when the listener is reopened

	ctx    context.Context // canceled by Close: aborts dials to the target
	cancel context.CancelFunc
	wg     sync.WaitGroup // every goroutine the proxy started

	mu      sync.Mutex
	ln      net.Listener // nil while refusing and once closed
	release func()       // releases the port reserved while refusing; nil if none
	mode    proxyMode
	latency time.Duration
	gate    chan struct{} // closed while forwarding, open while blackholed
	gen     uint64        // bumped by Refuse and Reset: older connections are reset
	links   map[*link]struct{}
	closed  bool
}

// NewProxy starts a proxy to target (host:port) listening on a free
// loopback port, in [Proxy.Pass] mode. The target need not be up: a
// connection the proxy cannot forward is reset. The proxy is closed in
// t.Cleanup.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testenv: proxy: listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	gate := make(chan struct{})
	close(gate)
	p := &Proxy{
		t:      t,
		target: target,
		addr:   ln.Addr().String(),
		ctx:    ctx,
		cancel: cancel,
		ln:     ln,
		gate:   gate,
		links:  make(map[*link]struct{}),
	}
	p.wg.Add(1)
	go p.accept(ln)
	t.Cleanup(p.Close)
	return p
}

// Addr returns the address clients should dial instead of the target,
// 127.0.0.1 and a port that stays the same for the proxy's lifetime.
func (p *Proxy) Addr() string { return p.addr }

// Pass forwards traffic both ways without delay: new connections are
// accepted again after [Proxy.Refuse], and data held by [Proxy.Blackhole]
// or [Proxy.Latency] is forwarded, in order. It is the initial mode.
func (p *Proxy) Pass() { p.forward(0) }

// Latency forwards traffic like [Proxy.Pass], but each chunk read from one
// side is written to the other d after it was read, in both directions;
// d <= 0 is the same as Pass. It applies to the existing connections too.
func (p *Proxy) Latency(d time.Duration) { p.forward(max(d, 0)) }

// forward switches to forwarding with the given latency.
func (p *Proxy) forward(latency time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.mode = modePass
	p.latency = latency
	p.openGateLocked()
	p.listenLocked()
}

// Refuse makes the proxy behave like a server that is down: it stops
// listening, so dials to [Proxy.Addr] are refused at once, and resets every
// existing connection (TCP RST). [Proxy.Pass], [Proxy.Latency] or
// [Proxy.Blackhole] listen again on the same address; meanwhile the port
// stays reserved (on Unix), so that no other test's listener is given it.
func (p *Proxy) Refuse() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.mode = modeRefuse
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
		if release, err := reservePort(p.addr); err == nil {
			p.release = release
		}
	}
	links := p.resetLocked()
	p.mu.Unlock()
	closeLinks(links, true)
}

// Blackhole makes the proxy behave like a network that drops every packet:
// it accepts connections (listening again after [Proxy.Refuse]) but
// forwards nothing in either direction, on new and existing connections
// alike, so a client's reads hang until its own deadline. What arrives
// meanwhile is held, as TCP would retransmit it, and forwarded in order
// after [Proxy.Pass] or [Proxy.Latency].
func (p *Proxy) Blackhole() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.mode = modeBlackhole
	select {
	case <-p.gate:
		p.gate = make(chan struct{})
	default: // already closed for traffic
	}
	p.listenLocked()
}

// Reset resets every existing connection (SO_LINGER 0 and close, so both
// the client and the target see a TCP RST) and leaves the mode as it is:
// new connections are accepted unless the proxy is refusing.
func (p *Proxy) Reset() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	links := p.resetLocked()
	p.mu.Unlock()
	closeLinks(links, true)
}

// Close stops the proxy: it stops listening, closes every connection and
// waits for every goroutine the proxy started. It is called by t.Cleanup;
// calling it earlier, or more than once, is safe.
func (p *Proxy) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		p.wg.Wait()
		return
	}
	p.closed = true
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	p.releaseLocked()
	links := p.resetLocked()
	p.mu.Unlock()
	p.cancel()
	closeLinks(links, false)
	p.wg.Wait()
}

// openGateLocked lets held and new traffic through.
func (p *Proxy) openGateLocked() {
	select {
	case <-p.gate:
	default:
		close(p.gate)
	}
}

// listenLocked reopens the listener on the proxy's address after Refuse.
// It listens before it releases the reserved port, so the port is never
// free in between.
func (p *Proxy) listenLocked() {
	if p.ln != nil {
		return
	}
	ln, err := net.Listen("tcp", p.addr)
	if err != nil && p.release != nil {
		// The system would not listen beside the reservation: give it up.
		p.releaseLocked()
		ln, err = net.Listen("tcp", p.addr)
	}
	p.releaseLocked()
	if err != nil {
		p.t.Errorf("testenv: proxy: listen again on %s: %v", p.addr, err)
		return
	}
	p.ln = ln
	p.wg.Add(1)
	go p.accept(ln)
}

// releaseLocked releases the port reserved by Refuse, if any.
func (p *Proxy) releaseLocked() {
	if p.release != nil {
		p.release()
		p.release = nil
	}
}

// resetLocked starts a new generation, so connections accepted before it
// are reset, and returns the current connections for the caller to close.
func (p *Proxy) resetLocked() []*link {
	p.gen++
	links := make([]*link, 0, len(p.links))
	for l := range p.links {
		links = append(links, l)
	}
	return links
}

// state returns what a forwarding goroutine must wait for: the gate and the
// latency.
func (p *Proxy) state() (gate <-chan struct{}, latency time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.gate, p.latency
}

// accept serves ln until it is closed.
func (p *Proxy) accept(ln net.Listener) {
	defer p.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// A transient error, such as running out of file descriptors:
			// back off briefly rather than spin.
			timer := time.NewTimer(5 * time.Millisecond)
			select {
			case <-timer.C:
			case <-p.ctx.Done():
				timer.Stop()
				return
			}
			continue
		}
		p.mu.Lock()
		gen := p.gen
		p.mu.Unlock()
		p.wg.Add(1)
		go p.serve(c, gen)
	}
}

// serve connects client to the target and forwards between them until
// either side ends or the proxy resets or closes the connection.
func (p *Proxy) serve(client net.Conn, gen uint64) {
	defer p.wg.Done()
	d := net.Dialer{Timeout: proxyDialTimeout}
	server, err := d.DialContext(p.ctx, "tcp", p.target)
	if err != nil {
		resetConn(client)
		return
	}
	l := &link{client: client, server: server, done: make(chan struct{})}
	p.mu.Lock()
	if p.closed || p.gen != gen || p.mode == modeRefuse {
		// Reset, refused or closed while this connection was being set up.
		p.mu.Unlock()
		l.close(true)
		return
	}
	p.links[l] = struct{}{}
	p.mu.Unlock()

	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.pipe(l, server, client) }()
	go func() { defer wg.Done(); p.pipe(l, client, server) }()
	wg.Wait()

	p.mu.Lock()
	delete(p.links, l)
	p.mu.Unlock()
}

// chunk is one read from a connection: data, or the error that ended it.
type chunk struct {
	b   []byte
	at  time.Time
	err error
}

// pipe forwards from src to dst through a queue, so that reading goes on
// while a chunk waits out the latency or the blackhole, until the queue is
// full.
func (p *Proxy) pipe(l *link, dst, src net.Conn) {
	q := make(chan chunk, proxyQueue)
	read := make(chan struct{})
	go func() {
		defer close(read)
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			var c chunk
			if n > 0 {
				c = chunk{b: append([]byte(nil), buf[:n]...), at: time.Now()}
			} else if err != nil {
				c = chunk{err: err, at: time.Now()}
			} else {
				continue
			}
			select {
			case q <- c:
			case <-l.done:
				return
			}
			if n > 0 && err != nil {
				select {
				case q <- chunk{err: err, at: time.Now()}:
				case <-l.done:
				}
				return
			}
			if err != nil {
				return
			}
		}
	}()
	defer func() { <-read }()

	for {
		var c chunk
		select {
		case c = <-q:
		case <-l.done:
			return
		}
		if !p.hold(l, c.at) {
			return
		}
		if c.err != nil {
			if errors.Is(c.err, io.EOF) {
				// The source half-closed: pass that on and let the
				// other direction finish.
				if cw, ok := dst.(interface{ CloseWrite() error }); ok && cw.CloseWrite() == nil {
					if l.halfClosed.Add(1) == 2 {
						l.close(false)
					}
					return
				}
				l.close(false)
				return
			}
			// A reset or other failure: pass a reset on.
			l.close(true)
			return
		}
		if _, err := dst.Write(c.b); err != nil {
			l.close(true)
			return
		}
	}
}

// hold waits until a chunk read at readAt may be forwarded: while the proxy
// blackholes, and until the latency has passed. It returns false when the
// connection is closed meanwhile.
func (p *Proxy) hold(l *link, readAt time.Time) bool {
	for {
		gate, latency := p.state()
		select {
		case <-gate:
		case <-l.done:
			return false
		}
		wait := time.Until(readAt.Add(latency))
		if wait <= 0 {
			return true
		}
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
			// Check the gate again: a blackhole may have begun meanwhile.
		case <-l.done:
			timer.Stop()
			return false
		}
	}
}

// link is one proxied connection: the client's and the proxy's own to the
// target.
type link struct {
	client, server net.Conn
	done           chan struct{} // closed when the link is closed
	once           sync.Once
	halfClosed     atomic.Int32 // directions that ended with a clean EOF
}

// close closes both connections, with a TCP RST if rst is set.
func (l *link) close(rst bool) {
	l.once.Do(func() {
		close(l.done)
		if rst {
			resetConn(l.client)
			resetConn(l.server)
			return
		}
		_ = l.client.Close()
		_ = l.server.Close()
	})
}

// closeLinks closes every link in links.
func closeLinks(links []*link, rst bool) {
	for _, l := range links {
		l.close(rst)
	}
}

// resetConn closes c so that its peer sees a TCP RST rather than a FIN.
func resetConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}
