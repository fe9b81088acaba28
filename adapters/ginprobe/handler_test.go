package ginprobe_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/probekit/probekit/internal/testenv"

	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/core"
)

func TestProbeHandlers(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t, core.WithCheck("db", core.CheckerFunc(func(context.Context) error { return errors.New("down") })))
	ready := make(chan struct{})
	stop := h.Listen(func(ev core.Event) {
		if ev.Check == "db" {
			close(ready)
		}
	})
	defer stop()
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-ready
	r := gin.New()
	getHead := []string{http.MethodGet, http.MethodHead}
	r.Match(getHead, "/internal/alive", ginprobe.Liveness(h))
	r.Match(getHead, "/internal/ready", ginprobe.Readiness(h))
	r.Match(getHead, "/internal/started", ginprobe.Startup(h))
	r.POST("/internal/ready", ginprobe.Readiness(h))
	tests := []struct {
		method, target string
		wantCode       int
		wantBody       string
	}{
		{"GET", "/internal/alive", 200, `{"status":"ok"}` + "\n"},
		{"HEAD", "/internal/alive", 200, ""},
		{"GET", "/internal/ready?verbose", 503, "[-]db failed: reason withheld\nreadiness check failed\n"},
		{"HEAD", "/internal/ready", 503, ""},
		{"POST", "/internal/ready", 405, `{"error":"method not allowed"}` + "\n"},
		{"GET", "/internal/started", 200, `{"status":"ok"}` + "\n"},
	}
	for _, tt := range tests {
		w := serve(r, tt.method, tt.target)
		if w.Code != tt.wantCode || testenv.StripInfo(w.Body.String()) != tt.wantBody || !isProbeAnswer(w) {
			t.Errorf("%s %s = %d %q (probe answer: %v); want %d %q", tt.method, tt.target, w.Code, w.Body, isProbeAnswer(w), tt.wantCode, tt.wantBody)
		}
	}
}
