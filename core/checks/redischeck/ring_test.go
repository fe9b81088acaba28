package redischeck_test

import (
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/core/checks/redischeck"
	"github.com/probekit/probekit/internal/testenv"
)

// newRing returns a ring of the servers, closed when the test ends. Its
// heartbeat marks a shard down after three failed pings, heartbeat apart.
func newRing(t *testing.T, heartbeat time.Duration, servers ...*testenv.RedisServer) *redis.Ring {
	t.Helper()
	addrs := make(map[string]string, len(servers))
	for i, s := range servers {
		addrs[string(rune('a'+i))] = s.Addr()
	}
	r := redis.NewRing(&redis.RingOptions{
		Addrs:              addrs,
		HeartbeatFrequency: heartbeat,
		ReadTimeout:        hangTimeout,
	})
	t.Cleanup(func() { _ = r.Close() })
	return r
}

func TestCheckRing(t *testing.T) {
	t.Parallel()
	a, b := testenv.StartRedis(t), testenv.StartRedis(t)
	// No heartbeat during the test: the ring keeps the stopped shard.
	chk := redischeck.New(newRing(t, time.Hour, a, b))
	if err := testenv.CheckWithin(chk, 0); err != nil {
		t.Fatalf("Check() = %v; want nil", err)
	}

	b.Stop()
	wantErrNaming(t, testenv.CheckWithin(chk, 0), []string{b.Addr()}, a.Addr())
}

func TestCheckRingNoShards(t *testing.T) {
	t.Parallel()
	a, b := testenv.StartRedis(t), testenv.StartRedis(t)
	chk := redischeck.New(newRing(t, 10*time.Millisecond, a, b))
	if err := testenv.CheckWithin(chk, 0); err != nil {
		t.Fatalf("Check() = %v; want nil", err)
	}

	a.Stop()
	b.Stop()
	// Once the heartbeat has marked both shards down there is nothing to
	// ping, which must not pass for healthy.
	testenv.Eventually(t, 10*time.Second, func() error {
		if err := testenv.CheckWithin(chk, 0); !errors.Is(err, redischeck.ErrNoShards) {
			return errors.New("Check() = " + errText(err) + "; want ErrNoShards")
		}
		return nil
	})
}
