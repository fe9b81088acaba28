// Package probekit gives a Go web service correct Kubernetes-style health
// probes in one line: /healthz (liveness) and /readyz (readiness) on Gin,
// Echo, Fiber and net/http, answered from results that checks produce in
// the background, before the app's auth and database middleware can run.
//
// This package holds only documentation; the code lives in its
// subpackages.
//
// # Layout
//
// This module holds what needs only the standard library; each
// integration with a third-party dependency is a module of its own, so an
// app's go.sum holds only what it imports.
//
//   - [github.com/probekit/probekit/core]: the checker interface, the
//     scheduler, cached status, rendering and the net/http plumbing.
//   - [github.com/probekit/probekit/adapters/httpprobe]: the one line for
//     net/http (and chi, ServeMux).
//   - core/checks/sqlcheck, httpcheck, tcpcheck, dnscheck, syscheck,
//     trafficcheck: ready-made checkers on the standard library.
//   - Modules of their own: adapters/ginprobe, echoprobe, fiberprobe (Gin,
//     Echo v4, Fiber v2), grpcprobe (gRPC health), promprobe (Prometheus);
//     core/checks/redischeck, pgxcheck, grpccheck (checkers reusing the
//     app's client).
//   - examples/nethttp, gin, echo, fiber, grpc: runnable apps with auth and
//     DB-connect middleware (a module of their own).
//
// # Quick start
//
//	h, err := core.New(
//		core.WithCheck("redis", redischeck.New(rdb)),
//		core.WithCheck("db", sqlcheck.New(db), core.Timeout(time.Second)),
//	)
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer h.Close()
//	if err := h.Start(ctx); err != nil {
//		log.Fatal(err)
//	}
//	srv := &http.Server{Addr: ":8080", Handler: httpprobe.Wrap(h, authRequired(app))} // the one line
//
// /healthz never touches the database, so a database outage does not make
// Kubernetes restart the pod; /readyz answers 503 while a critical check
// has failed three times in a row, while starting and while draining for
// shutdown. See docs/concepts.md.
package probekit
