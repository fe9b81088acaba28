package httpprobe

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
)

// statusWriter is the ResponseWriter that [Traffic] hands the chain: it
// notes the first final status code written and passes everything through.
// It is embedded in one variant type per combination of the optional
// interfaces the server's writer has, so that a type assertion on the
// wrapper answers as one on the server's writer would.
type statusWriter struct {
	rw    http.ResponseWriter
	code  int
	wrote bool
	caps  int // the variant's index
	// self is the variant this statusWriter is embedded in: the writer
	// handed to the chain.
	self http.ResponseWriter
}

var (
	_ http.ResponseWriter = (*statusWriter)(nil)
	_ io.StringWriter     = (*statusWriter)(nil)
	_ interface {
		Unwrap() http.ResponseWriter
		FlushError() error
	} = (*statusWriter)(nil)

	_ http.Flusher  = (*flushWriter)(nil)
	_ http.Hijacker = (*hijackWriter)(nil)
	_ io.ReaderFrom = (*readFromWriter)(nil)
	_ interface {
		http.Flusher
		http.Hijacker
		io.ReaderFrom
	} = (*flushHijackReadFromWriter)(nil)
)

// Header returns the server's header map.
func (w *statusWriter) Header() http.Header { return w.rw.Header() }

// WriteHeader notes code if it is the first final one (1xx codes other
// than 101 are informational; more may follow) and passes it on, every
// call, as net/http would see it.
func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote && (code < 100 || code > 199 || code == http.StatusSwitchingProtocols) {
		w.code, w.wrote = code, true
	}
	w.rw.WriteHeader(code)
}

// Write notes an implicit 200 if no code was written, and writes b.
func (w *statusWriter) Write(b []byte) (int, error) {
	w.implicitOK()
	return w.rw.Write(b)
}

// WriteString is Write for a string, without converting it when the
// server's writer has WriteString too (net/http's does).
func (w *statusWriter) WriteString(s string) (int, error) {
	w.implicitOK()
	if sw, ok := w.rw.(io.StringWriter); ok {
		return sw.WriteString(s)
	}
	return w.rw.Write([]byte(s))
}

// Unwrap returns the server's writer, for [http.ResponseController].
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.rw }

// FlushError flushes through [http.ResponseController], which reaches a
// flusher anywhere down the server writer's Unwrap chain, and returns its
// error, [http.ErrNotSupported] if there is none.
func (w *statusWriter) FlushError() error {
	err := http.NewResponseController(w.rw).Flush()
	if !errors.Is(err, http.ErrNotSupported) {
		w.implicitOK()
	}
	return err
}

// implicitOK notes the 200 net/http sends when a body, a flush or a copy
// comes before any WriteHeader.
func (w *statusWriter) implicitOK() {
	if !w.wrote {
		w.code, w.wrote = http.StatusOK, true
	}
}

// status returns the code the client got: 200 if none was written.
func (w *statusWriter) status() int {
	if !w.wrote {
		return http.StatusOK
	}
	return w.code
}

func (w *statusWriter) flush() {
	w.implicitOK()
	w.rw.(http.Flusher).Flush()
}

func (w *statusWriter) hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.rw.(http.Hijacker).Hijack()
}

func (w *statusWriter) readFrom(src io.Reader) (int64, error) {
	w.implicitOK()
	return w.rw.(io.ReaderFrom).ReadFrom(src)
}

// The optional interfaces a server's writer may have, as bits of a
// variant's index.
const (
	hasFlush = 1 << iota
	hasHijack
	hasReadFrom
	variants = 1 << iota
)

// capabilities returns the variant index for rw.
func capabilities(rw http.ResponseWriter) int {
	caps := 0
	if _, ok := rw.(http.Flusher); ok {
		caps |= hasFlush
	}
	if _, ok := rw.(http.Hijacker); ok {
		caps |= hasHijack
	}
	if _, ok := rw.(io.ReaderFrom); ok {
		caps |= hasReadFrom
	}
	return caps
}

// writerPools holds one pool of wrappers per variant. Each middleware has
// its own, so nothing is shared between packages' users.
type writerPools [variants]sync.Pool

// get returns a wrapper around rw, of the variant that matches rw.
func (p *writerPools) get(rw http.ResponseWriter) *statusWriter {
	caps := capabilities(rw)
	w, _ := p[caps].Get().(*statusWriter)
	if w == nil {
		w = newStatusWriter(caps)
	}
	w.rw = rw
	return w
}

// put resets w and returns it to its pool.
func (p *writerPools) put(w *statusWriter) {
	w.rw, w.code, w.wrote = nil, 0, false
	p[w.caps].Put(w)
}

// newStatusWriter returns the statusWriter of a new variant for caps.
func newStatusWriter(caps int) *statusWriter {
	var (
		w    *statusWriter
		self http.ResponseWriter
	)
	switch caps {
	case 0:
		v := new(plainWriter)
		w, self = &v.statusWriter, v
	case hasFlush:
		v := new(flushWriter)
		w, self = &v.statusWriter, v
	case hasHijack:
		v := new(hijackWriter)
		w, self = &v.statusWriter, v
	case hasFlush | hasHijack:
		v := new(flushHijackWriter)
		w, self = &v.statusWriter, v
	case hasReadFrom:
		v := new(readFromWriter)
		w, self = &v.statusWriter, v
	case hasFlush | hasReadFrom:
		v := new(flushReadFromWriter)
		w, self = &v.statusWriter, v
	case hasHijack | hasReadFrom:
		v := new(hijackReadFromWriter)
		w, self = &v.statusWriter, v
	default: // hasFlush | hasHijack | hasReadFrom: net/http's HTTP/1 writer
		v := new(flushHijackReadFromWriter)
		w, self = &v.statusWriter, v
	}
	w.self, w.caps = self, caps
	return w
}

// The variants. Each adds to statusWriter the exported methods of its
// optional interfaces.
type (
	plainWriter               struct{ statusWriter }
	flushWriter               struct{ statusWriter }
	hijackWriter              struct{ statusWriter }
	flushHijackWriter         struct{ statusWriter }
	readFromWriter            struct{ statusWriter }
	flushReadFromWriter       struct{ statusWriter }
	hijackReadFromWriter      struct{ statusWriter }
	flushHijackReadFromWriter struct{ statusWriter }
)

func (w *flushWriter) Flush()               { w.flush() }
func (w *flushHijackWriter) Flush()         { w.flush() }
func (w *flushReadFromWriter) Flush()       { w.flush() }
func (w *flushHijackReadFromWriter) Flush() { w.flush() }

func (w *hijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error)      { return w.hijack() }
func (w *flushHijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w *hijackReadFromWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.hijack()
}
func (w *flushHijackReadFromWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.hijack()
}

func (w *readFromWriter) ReadFrom(src io.Reader) (int64, error)            { return w.readFrom(src) }
func (w *flushReadFromWriter) ReadFrom(src io.Reader) (int64, error)       { return w.readFrom(src) }
func (w *hijackReadFromWriter) ReadFrom(src io.Reader) (int64, error)      { return w.readFrom(src) }
func (w *flushHijackReadFromWriter) ReadFrom(src io.Reader) (int64, error) { return w.readFrom(src) }
