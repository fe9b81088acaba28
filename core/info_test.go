package core_test

import (
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

func TestBuildInfoFromBinary(t *testing.T) {
	t.Parallel()
	h := mustNew(t, core.WithLogger(nil))
	body := string(probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/readyz", RawQuery: "verbose"}).Body())
	first, _, _ := strings.Cut(body, "\n")
	// A test binary's main module is this one; its version is "(devel)".
	if !strings.HasPrefix(first, "info: service=github.com/probekit/probekit ") || !strings.Contains(first, " go="+runtime.Version()) {
		t.Errorf("info line = %q; want the service and Go version read from the binary", first)
	}
	if strings.Contains(first, "uptime=") {
		t.Errorf("info line before Start = %q; want no uptime", first)
	}
}

func TestBuildInfoOverrideAndUptime(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		chk := &switchable{}
		h := mustNew(t, core.WithCheck("db", chk, core.Interval(time.Minute), core.Jitter(0)),
			core.WithBuildInfo(core.BuildInfo{Service: "orders", Revision: "9f3c2e1", Time: "2026-11-20T10:00:00Z"}),
			core.WithVersion("v1.4.2\nX-Injected: 1"), // one line, whatever it is given
			core.WithLogger(nil))
		_ = h.Start(context.Background())
		step(2*time.Hour + 3*time.Minute) // the last result lands at 2h3m
		text := string(probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/readyz", RawQuery: "verbose"}).Body())
		want := "info: service=orders version=v1.4.2 X-Injected: 1 revision=9f3c2e1 go=" + runtime.Version() + " uptime=2h3m0s\n"
		if first, _, _ := strings.Cut(text, "\n"); first+"\n" != want {
			t.Errorf("info line = %q; want %q", first+"\n", want)
		}
		var ietf struct {
			Version   string `json:"version"`
			ReleaseID string `json:"releaseId"`
			ServiceID string `json:"serviceId"`
			Checks    map[string][]struct {
				ComponentType string  `json:"componentType"`
				ObservedValue float64 `json:"observedValue"`
				ObservedUnit  string  `json:"observedUnit"`
				Time          string  `json:"time"`
			} `json:"checks"`
		}
		r := probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/readyz", Accept: "application/health+json"})
		if err := json.Unmarshal(r.Body(), &ietf); err != nil {
			t.Fatalf("IETF body %s: %v", r.Body(), err)
		}
		up := ietf.Checks["uptime"]
		if ietf.Version != "v1.4.2 X-Injected: 1" || ietf.ReleaseID != "9f3c2e1" || ietf.ServiceID != "orders" ||
			len(up) != 1 || up[0].ComponentType != "system" || up[0].ObservedValue != 7380 || up[0].ObservedUnit != "s" || up[0].Time != "2000-01-01T02:03:00.000Z" {
			t.Errorf("IETF info = %+v; want version, releaseId, serviceId and an uptime of 7380s as of 02:03", ietf)
		}
	})
}
