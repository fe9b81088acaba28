package httpprobe_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
)

func ExampleTraffic() {
	rec := trafficcheck.NewRecorder()
	h := core.MustNew(core.WithLogger(nil), core.WithCheck("traffic", trafficcheck.MustNew(rec)))
	defer h.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("/api/ok", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") })
	mux.HandleFunc("/api/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "database unreachable", http.StatusInternalServerError)
	})
	// Traffic inside Wrap: probes are answered before they reach it.
	handler := httpprobe.Wrap(h, httpprobe.Traffic(rec)(mux))

	for _, path := range []string{"/healthz", "/api/ok", "/api/ok", "/api/broken", "/api/missing"} {
		handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	st := rec.Stats(time.Minute, 99)
	fmt.Printf("%d requests, %d failed, success rate %.2f\n", st.Requests, st.Failures, st.SuccessRate())
	// Output:
	// 4 requests, 1 failed, success rate 0.75
}

func ExampleTrafficWithConfig() {
	rec := trafficcheck.NewRecorder()
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("/api/ok", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") })
	// Traffic outside Wrap: it must skip the probes itself.
	traffic := httpprobe.TrafficWithConfig(httpprobe.TrafficConfig{
		Recorder: rec,
		Skip:     httpprobe.Skipper(h),
	})
	handler := traffic(httpprobe.Wrap(h, mux))

	for _, path := range []string{"/healthz", "/readyz", "/api/ok"} {
		handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	fmt.Println(rec.Stats(time.Minute, 99).Requests, "request recorded")
	// Output:
	// 1 request recorded
}
