package testenv

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
)

// SentinelMasterName is the name under which a sentinel started by
// [StartSentinel] monitors its master: the MasterName of a go-redis
// FailoverOptions.
const SentinelMasterName = "mymaster"

// StartSentinel starts a Redis Sentinel (redis-server --sentinel) on a free
// loopback port that monitors master as [SentinelMasterName] with a quorum
// of 1, and returns once the sentinel sees master up and lists every given
// replica (started with [ReplicaOf]) as a healthy replica. The sentinel is
// killed when the test ends.
//
// The sentinel keeps Redis's defaults: it considers a master down after 30
// seconds and would then fail over, which a test normally never reaches.
func StartSentinel(t testing.TB, master *RedisServer, replicas ...*RedisServer) *RedisServer {
	t.Helper()
	bin := lookBin(t, "TEST_REDIS_SERVER", "redis-server")
	if bin == "" {
		return nil
	}
	dir := t.TempDir()
	host, port, _ := net.SplitHostPort(master.Addr())
	conf := filepath.Join(dir, "sentinel.conf") // the sentinel rewrites it
	monitor := fmt.Sprintf("sentinel monitor %s %s %s 1\n", SentinelMasterName, host, port)
	if err := os.WriteFile(conf, []byte(monitor), 0o600); err != nil {
		t.Fatalf("testenv: StartSentinel: %v", err)
	}
	s := startServer(t, bin, dir, []string{conf, "--sentinel"}, false)

	err := poll(startTimeout, func() error {
		m, err := redisDo(s.addr, commandTimeout, "SENTINEL", "MASTER", SentinelMasterName)
		if err != nil {
			return err
		}
		if flags := fields(m)["flags"]; flags != "master" {
			return fmt.Errorf("testenv: sentinel %s: master %s has flags %q; want master", s.addr, master.Addr(), flags)
		}
		v, err := redisDo(s.addr, commandTimeout, "SENTINEL", "REPLICAS", SentinelMasterName)
		if err != nil {
			return err
		}
		seen := make(map[string]string)
		list, _ := v.([]any)
		for _, r := range list {
			f := fields(r)
			seen[f["name"]] = f["flags"]
		}
		for _, r := range replicas {
			if flags := seen[r.Addr()]; flags != "slave" {
				return fmt.Errorf("testenv: sentinel %s: replica %s has flags %q; want slave", s.addr, r.Addr(), flags)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("testenv: sentinel not ready: %v", err)
	}
	return s
}
