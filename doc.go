// Package probekit gives a Go web service Kubernetes health probes in one
// line: /healthz (liveness), /readyz (readiness) and /startupz, answered
// from results that checks produce in the background, in front of the app's
// auth and DB-connect middleware.
//
// This package holds only documentation. Start with the README's quick
// start: https://github.com/probekit/probekit#quick-start
//
// # Packages
//
// This module needs only the standard library:
//
//   - [github.com/probekit/probekit/core]: New, the options, Health's
//     lifecycle (Start, Drain, DrainAndShutdown, Close), statuses and events.
//   - [github.com/probekit/probekit/adapters/httpprobe]: the one line for
//     net/http, chi and ServeMux.
//   - core/checks/sqlcheck, httpcheck, tcpcheck, dnscheck, syscheck and
//     trafficcheck: checkers on the standard library.
//
// Each integration with a third-party dependency is a module of its own, so
// an app's go.sum holds only what it imports:
//
//   - adapters/ginprobe (Gin), echov5probe and echoprobe (Echo v5, v4),
//     fiberv3probe and fiberprobe (Fiber v3, v2);
//   - adapters/grpcprobe (grpc.health.v1), promprobe (Prometheus),
//     otelprobe (OpenTelemetry metrics and check spans);
//   - core/checks/redischeck, pgxcheck and grpccheck, on the app's own
//     client.
//
// examples/nethttp, gin, echo, echov5, fiber, fiberv3 and grpc are whole
// programs to copy: auth and DB-connect middleware, the probe line, the
// drain on SIGTERM.
package probekit
