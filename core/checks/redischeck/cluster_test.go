package redischeck_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/core/checks/redischeck"
	"github.com/probekit/probekit/internal/testenv"
)

// recoverTimeout bounds waiting for a restarted node to serve again.
const recoverTimeout = 30 * time.Second

func TestCheckCluster(t *testing.T) {
	t.Parallel()
	nodes := testenv.StartRedisCluster(t, 3)
	addrs := []string{nodes[0].Addr(), nodes[1].Addr(), nodes[2].Addr()}
	chk := redischeck.New(newClusterClient(t, addrs...))

	if err := testenv.CheckWithin(chk, 0); err != nil {
		t.Fatalf("Check() = %v; want nil", err)
	}

	nodes[1].Stop()
	// However often it runs, Check must not pass while a shard is down.
	for range 5 {
		err := testenv.CheckWithin(chk, 0)
		wantErrNaming(t, err, addrs[1:2], addrs[0], addrs[2])
	}

	nodes[1].Restart()
	testenv.Eventually(t, recoverTimeout, func() error { return testenv.CheckWithin(chk, 0) })
}

// TestCheckClusterPaused pauses a node of a cluster whose client honours
// the context (ContextTimeoutEnabled): Check returns at its deadline and
// names the node. TestCheckPaused runs a cluster client that does not in
// a core.Health.
func TestCheckClusterPaused(t *testing.T) {
	t.Parallel()
	nodes := testenv.StartRedisCluster(t, 3)
	c := redis.NewClusterClient(&redis.ClusterOptions{
		Addrs:                 []string{nodes[0].Addr(), nodes[1].Addr(), nodes[2].Addr()},
		ReadTimeout:           hangTimeout,
		ContextTimeoutEnabled: true,
	})
	t.Cleanup(func() { _ = c.Close() })
	chk := redischeck.New(c)
	if err := testenv.CheckWithin(chk, 0); err != nil {
		t.Fatalf("Check() = %v; want nil", err)
	}

	nodes[2].Pause()
	// go-redis gives up at the deadline. The error names the paused node
	// unless the deadline caught the client loading the topology from it,
	// which it names "cluster".
	err := testenv.CheckWithin(chk, testenv.HangDeadline)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Check() = %v; want an error wrapping context.DeadlineExceeded", errText(err))
	}
	got := err.Error()
	if want, alt := "redischeck: ping "+nodes[2].Addr()+": context deadline exceeded",
		"redischeck: ping cluster: context deadline exceeded"; got != want && got != alt {
		t.Errorf("Check() = %q; want %q or %q", got, want, alt)
	}

	nodes[2].Resume()
	testenv.Eventually(t, recoverTimeout, func() error { return testenv.CheckWithin(chk, 0) })
}
