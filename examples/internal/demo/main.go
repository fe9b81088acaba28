package demo

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"google.golang.org/grpc"

	"github.com/probekit/probekit/core"
)

// App is what one example adds to the demo: its framework's server.
type App struct {
	// HTTP builds the example's router on deps (probes first, then the
	// auth and DB-connect middleware, then the API) and serves it on ln.
	// It returns the server to shut down and the channel its serve error
	// arrives on (nil or http.ErrServerClosed once shut down). Nil: no
	// HTTP server (examples/grpc).
	HTTP func(deps *Deps, ln net.Listener) (srv core.Shutdowner, served <-chan error)
	// GRPCAddr is the gRPC address when GRPC_ADDR is unset; empty: no gRPC
	// server then.
	GRPCAddr string
	// GRPC registers the example's own gRPC services, built on deps,
	// beside the health service (see [Deps.ServeGRPC]).
	GRPC func(s grpc.ServiceRegistrar, deps *Deps)
}

// Main runs an example the way every example runs: `app -ready` is the
// exec probe (execProbe); otherwise it reads the configuration, opens the
// dependencies and their Health, starts the checks and the gRPC server (if
// configured), serves app.HTTP on ADDR, and on SIGTERM or SIGINT drains:
// Health.DrainAndShutdown turns readiness 503 at once, waits the drain
// delay, then shuts every server down. It exits 1 on an error.
func Main(app App) {
	execProbe(os.Args, os.Getenv)
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(app, logger); err != nil {
		logger.Error("exiting", "err", err)
		os.Exit(1)
	}
}

func run(app App, logger *slog.Logger) error {
	cfg := Load(os.Getenv)
	if cfg.GRPCAddr == "" {
		cfg.GRPCAddr = app.GRPCAddr
	}
	deps, err := Open(cfg, logger)
	if err != nil {
		return err
	}
	defer deps.Close()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := deps.Health.Start(context.Background()); err != nil {
		return err
	}
	var register []func(grpc.ServiceRegistrar)
	if app.GRPC != nil {
		register = append(register, func(s grpc.ServiceRegistrar) { app.GRPC(s, deps) })
	}
	if err := deps.ServeGRPC(cfg.GRPCAddr, logger, register...); err != nil {
		return err
	}

	var servers []core.Shutdowner
	var served <-chan error // nil without an HTTP server: waits for the signal only
	if app.HTTP != nil {
		ln, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			return err
		}
		logger.Info("listening", "addr", ln.Addr().String())
		var srv core.Shutdowner
		srv, served = app.HTTP(deps, ln)
		servers = append(servers, srv)
	}
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), deps.Health.DrainDelay()+10*time.Second)
	defer cancel()
	if err := deps.Health.DrainAndShutdown(shutdownCtx, deps.servers(servers...)...); err != nil {
		return err
	}
	if served != nil {
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	logger.Info("stopped")
	return nil
}
