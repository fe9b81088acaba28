package redischeck_test

import (
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/redischeck"
	"github.com/probekit/probekit/internal/testenv"
)

var wantObservations = []string{
	"total_connections",
	"idle_connections",
	"stale_connections",
	"pool_hits",
	"pool_misses",
	"pool_timeouts",
}

// observationNames checks that every value in obs is non-negative and
// returns their names.
func observationNames(t *testing.T, obs []core.Observation) []string {
	t.Helper()
	names := make([]string, len(obs))
	for i, o := range obs {
		names[i] = o.Name
		if o.Value < 0 {
			t.Errorf("Observations(): %s = %v; want >= 0", o.Name, o.Value)
		}
	}
	return names
}

func TestObservations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		give func(t *testing.T) redis.UniversalClient
	}{
		{
			name: "client",
			give: func(t *testing.T) redis.UniversalClient { return newClient(t, testenv.StartRedis(t).Addr()) },
		},
		{
			name: "ring",
			give: func(t *testing.T) redis.UniversalClient {
				return newRing(t, time.Hour, testenv.StartRedis(t), testenv.StartRedis(t))
			},
		},
		{
			name: "cluster",
			give: func(t *testing.T) redis.UniversalClient {
				nodes := testenv.StartRedisCluster(t, 3)
				return newClusterClient(t, nodes[0].Addr(), nodes[1].Addr(), nodes[2].Addr())
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			chk := redischeck.New(tt.give(t))
			if err := testenv.CheckWithin(chk, 0); err != nil {
				t.Fatalf("Check() = %v; want nil", err)
			}
			obs := chk.Observations()
			if got := observationNames(t, obs); !slices.Equal(got, wantObservations) {
				t.Errorf("Observations() names = %v; want %v", got, wantObservations)
			}
			if obs[0].Value < 1 {
				t.Errorf("Observations(): total_connections = %v after a Check; want >= 1", obs[0].Value)
			}
		})
	}
}

func TestObservationsClusterBeforeCheck(t *testing.T) {
	t.Parallel()
	// No node answers: PoolStats would try to load the topology.
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{closedAddr(t)}})
	t.Cleanup(func() { _ = c.Close() })
	if got := redischeck.New(c).Observations(); got != nil {
		t.Errorf("Observations() before any Check = %v; want nil", got)
	}
}
