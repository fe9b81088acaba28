package redischeck_test

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/core/checks/redischeck"
	"github.com/probekit/probekit/internal/testenv"
)

func TestCheckFailoverClient(t *testing.T) {
	t.Parallel()
	master := testenv.StartRedis(t)
	sentinel := testenv.StartSentinel(t, master)
	c := redis.NewFailoverClient(&redis.FailoverOptions{
		MasterName:    testenv.SentinelMasterName,
		SentinelAddrs: []string{sentinel.Addr()},
		ReadTimeout:   hangTimeout,
	})
	t.Cleanup(func() { _ = c.Close() })
	chk := redischeck.New(c)

	if err := testenv.CheckWithin(chk, 0); err != nil {
		t.Fatalf("Check() = %v; want nil", err)
	}
	master.Stop()
	// Sentinel still names the old master: the dial to it is refused.
	wantErrNaming(t, testenv.CheckWithin(chk, 0), []string{"failover master", master.Addr()})
}

func TestCheckFailoverClusterClientMastersOnly(t *testing.T) {
	t.Parallel()
	master := testenv.StartRedis(t)
	replica := testenv.StartRedis(t, testenv.ReplicaOf(master))
	sentinel := testenv.StartSentinel(t, master, replica)
	// ContextTimeoutEnabled: with the replica hung, Check returns at its
	// deadline with go-redis's own error, which names the node.
	c := redis.NewFailoverClusterClient(&redis.FailoverOptions{
		MasterName:            testenv.SentinelMasterName,
		SentinelAddrs:         []string{sentinel.Addr()},
		RouteRandomly:         true,
		ReadTimeout:           hangTimeout,
		ContextTimeoutEnabled: true,
	})
	t.Cleanup(func() { _ = c.Close() })

	tests := []struct {
		name    string
		give    []redischeck.Option
		wantErr bool // with the replica hung
	}{
		{name: "every node", give: nil, wantErr: true},
		{name: "masters only", give: []redischeck.Option{redischeck.MastersOnly()}, wantErr: false},
	}
	checkers := make([]*redischeck.Checker, len(tests))
	for i, tt := range tests {
		checkers[i] = redischeck.New(c, tt.give...)
		if err := testenv.CheckWithin(checkers[i], 0); err != nil {
			t.Fatalf("%s: Check() = %v; want nil", tt.name, err)
		}
	}

	// A stopped replica would be dropped at once: Sentinel flags it
	// disconnected and go-redis leaves such replicas out of the topology.
	// A hung one stays in it until Sentinel's down-after-milliseconds.
	replica.Pause()
	// go-redis rewrites the loopback addresses Sentinel reports to ":port"
	// (see replaceLoopbackHost), so errors name the nodes that way.
	replicaPort := ":" + port(t, replica.Addr())
	masterPort := ":" + port(t, master.Addr())
	for i, tt := range tests {
		err := testenv.CheckWithin(checkers[i], testenv.HangDeadline)
		if !tt.wantErr {
			if err != nil {
				t.Errorf("%s: Check() with the replica hung = %v; want nil", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: Check() with the replica hung = %v; want context.DeadlineExceeded", tt.name, errText(err))
		}
		wantErrNaming(t, err, []string{replicaPort + ": context deadline exceeded"}, masterPort)
	}
}

// port returns the port of addr.
func port(t *testing.T, addr string) string {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
