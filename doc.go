// Package probekit gives a Go web service correct Kubernetes-style health
// probes in one line: /healthz (liveness) and /readyz (readiness) on Gin,
// Echo, Fiber and net/http, answered from results that checks produce in
// the background, before the app's auth and database middleware can run.
//
// This package holds only documentation and the cross-adapter conformance
// suite; the code lives in its subpackages.
//
// # Layout
//
//   - [github.com/probekit/probekit/core]: the checker interface, the
//     scheduler, cached status, rendering and the net/http plumbing. It
//     imports only the standard library.
//   - core/checks/redischeck, core/checks/sqlcheck: ready-made checkers that
//     reuse the app's go-redis client or *sql.DB, including a
//     pending-migrations check for golang-migrate and goose.
//   - adapters/httpprobe, adapters/ginprobe, adapters/echoprobe,
//     adapters/fiberprobe: one line each for net/http, Gin, Echo v4 and
//     Fiber v2, answering probes before the app's middleware.
//   - examples/nethttp, examples/gin, examples/echo, examples/fiber:
//     runnable apps with auth and DB-connect middleware.
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
