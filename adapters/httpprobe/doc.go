// Package httpprobe serves a [core.Health]'s probes on net/http: /healthz
// (and /livez), /readyz and /startupz, with /readyz/<check> subpaths, in one
// line, in front of the app's own middleware.
//
// # The one line
//
// Wrap the app's whole handler chain, auth and DB-connect middleware
// included, so that probes are answered before any of it runs:
//
//	srv := &http.Server{Addr: ":8080", Handler: httpprobe.Wrap(h, authRequired(withDB(mux)))}
//
// Only the exact probe paths are answered; every other request goes to the
// app unchanged. Paths are matched on the raw request path, with no
// cleaning, case folding or decoding: /healthz/, /HEALTHZ, //healthz,
// /healthz/../api/x, /healthz%2F..%2Fapi and /healthzz are not probes.
//
// # Mounting on a mux
//
// Apps that prefer routes can mount [Handler], which answers the probe paths
// and 404 for anything else:
//
//	mux.Handle("/healthz", httpprobe.Handler(h))
//	mux.Handle("/readyz", httpprobe.Handler(h))
//	mux.Handle("/readyz/", httpprobe.Handler(h)) // /readyz/<check>
//
// or [Liveness], [Readiness] and [Startup], which answer one probe at
// whatever path they are mounted on.
//
// # Auth registered first
//
// If auth must wrap everything, give it [Skipper] (or [IsProbe]) so that it
// lets exactly the probe requests through, and still put [Wrap] inside it.
//
// # Traffic
//
// [Traffic] records the status code and latency of every request the app
// serves into a [trafficcheck.Recorder], for a readiness check on the app's
// own success rate. Mount it inside [Wrap], so that probes never reach it:
//
//	handler := httpprobe.Wrap(h, httpprobe.Traffic(rec)(authRequired(mux)))
package httpprobe
