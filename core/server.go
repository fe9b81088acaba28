package core

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/probekit/probekit/core/internal/answer"
)

// defaultProbeAddr is where [WithProbeServer] listens by default: loopback
// only. Kubernetes' httpGet probes connect to the pod IP, so a probe server
// that the kubelet must reach listens on ":9090" or the pod IP instead (see
// docs/kubernetes.md).
const defaultProbeAddr = "127.0.0.1:9090"

// probeServerShutdownTimeout bounds how long Close waits for the probe
// server's open requests.
const probeServerShutdownTimeout = 5 * time.Second

type serverConfig struct {
	enabled bool
	addr    string
	details bool
}

func (c *serverConfig) validate() error {
	if !c.enabled {
		return nil
	}
	if _, _, err := net.SplitHostPort(c.addr); err != nil {
		return fmt.Errorf("core: probe server address %q: %w", c.addr, err)
	}
	return nil
}

// WithProbeServer serves the probes on a listener of their own, at addr
// ("" means 127.0.0.1:9090), started by [Health.Start] and shut down
// gracefully by [Health.Close]: for apps that keep probes off their public
// port. Error texts and observed values are included there by default (see
// [WithProbeServerDetails]), since the port is not public. A port already
// taken makes Start return an error. [Health.ProbeServerAddr] reports the
// address actually bound (useful with port 0). The environment variable
// HEALTH_ADDR sets it too (see [WithEnv]).
func WithProbeServer(addr string) Option {
	return optionFunc(func(c *config) {
		if addr == "" {
			addr = defaultProbeAddr
		}
		c.server.enabled, c.server.addr = true, addr
	})
}

// WithProbeServerDetails sets whether the probe server's answers include
// error texts and observed values. Default true.
func WithProbeServerDetails(on bool) Option {
	return optionFunc(func(c *config) { c.server.details = on })
}

// probeServer is the dedicated probe listener.
type probeServer struct {
	h       *Health
	cfg     serverConfig
	extra   *http.ServeMux // nil without extra handlers
	srv     *http.Server
	ln      net.Listener
	stopped chan struct{} // closed when Serve has returned
}

func newProbeServer(h *Health, cfg serverConfig) *probeServer {
	ps := &probeServer{h: h, cfg: cfg, stopped: make(chan struct{})}
	ps.srv = &http.Server{
		Handler:           ps,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second, // a metrics scrape may be large
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10, // probes send a few short headers
	}
	return ps
}

// listen binds the address, so that a taken port is an error from Start.
func (ps *probeServer) listen() error {
	ln, err := net.Listen("tcp", ps.cfg.addr)
	if err != nil {
		return fmt.Errorf("core: probe server: %w", err)
	}
	ps.ln = ln
	return nil
}

func (ps *probeServer) start() {
	go func() {
		defer close(ps.stopped)
		if err := ps.srv.Serve(ps.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			ps.h.logger.Error("health probe server stopped", "addr", ps.ln.Addr().String(), "err", err)
		}
	}()
	ps.h.logger.Info("health probe server listening", "addr", ps.ln.Addr().String())
}

func (ps *probeServer) shutdown() {
	if ps.ln == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), probeServerShutdownTimeout)
	defer cancel()
	if err := ps.srv.Shutdown(ctx); err != nil {
		_ = ps.srv.Close()
	}
	<-ps.stopped
}

// ServeHTTP answers the probes (with details, by default), then the extra
// handlers, then 404.
func (ps *probeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rt, ok := ps.h.rt.match(answer.HTTPPath(r)); ok {
		req := answer.HTTPRequest(r)
		req.Details = ps.cfg.details
		ps.h.rt.respond(rt, &req).WriteHTTP(w, r.Method)
		return
	}
	if ps.extra != nil {
		if _, pattern := ps.extra.Handler(r); pattern != "" {
			ps.extra.ServeHTTP(w, r)
			return
		}
	}
	w.Header().Set("Content-Type", answer.ContentTypeJSON)
	w.Header().Set("Cache-Control", answer.CacheControl)
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("{\"error\":\"not found\"}\n"))
}

// HandleOnProbeServer mounts handler at pattern (a [http.ServeMux] pattern
// such as "/metrics") on the probe server, beside the probes, which take
// precedence; a metrics handler reading h, say. It does nothing when no
// probe server is configured, so an app can call it whatever its
// configuration, and returns [ErrStarted] once h is started.
func (h *Health) HandleOnProbeServer(pattern string, handler http.Handler) error {
	h.life.Lock()
	defer h.life.Unlock()
	if h.started || h.closed {
		return ErrStarted
	}
	if pattern == "" || handler == nil {
		return fmt.Errorf("core: probe server handler %q: empty pattern or nil handler", pattern)
	}
	if h.server == nil {
		return nil
	}
	if h.server.extra == nil {
		h.server.extra = http.NewServeMux()
	}
	h.server.extra.Handle(pattern, handler)
	return nil
}

// ProbeServerAddr returns the address the probe server listens on once
// [Health.Start] has bound it, or "" when there is no probe server or it
// is not started.
func (h *Health) ProbeServerAddr() string {
	h.life.Lock()
	defer h.life.Unlock()
	if h.server == nil || h.server.ln == nil || !h.started {
		return ""
	}
	return h.server.ln.Addr().String()
}
