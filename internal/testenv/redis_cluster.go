package testenv

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// clusterTimeout bounds creating a cluster and waiting for it to agree.
const clusterTimeout = 30 * time.Second

// StartRedisCluster starts n cluster-enabled redis-servers (n >= 3), joins
// them into one cluster of masters without replicas with redis-cli
// (TEST_REDIS_CLI, default redis-cli on PATH) and returns once every node
// reports cluster_state:ok. The nodes are returned in the order of their
// slot ranges, so a test can stop one shard; each is killed when the test
// ends. When redis-server or redis-cli is missing it calls [Unavailable].
//
// A stopped node keeps its slots: the cluster has no replica to fail over
// to, so commands for those slots fail until it is restarted.
func StartRedisCluster(t testing.TB, n int) []*RedisServer {
	t.Helper()
	if n < 3 {
		t.Fatalf("testenv: StartRedisCluster(%d): a cluster needs at least 3 masters", n)
	}
	cli := lookBin(t, "TEST_REDIS_CLI", "redis-cli")
	if cli == "" {
		return nil
	}
	nodes := make([]*RedisServer, n)
	args := []string{"--cluster", "create"}
	for i := range nodes {
		nodes[i] = StartRedis(t, func(c *redisConfig) { c.cluster = true })
		args = append(args, nodes[i].Addr())
	}
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")

	ctx, cancel := context.WithTimeout(context.Background(), clusterTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, cli, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("testenv: redis-cli %s: %v\n%s", strings.Join(args, " "), err, out)
	}

	want := fmt.Sprintf("cluster_known_nodes:%d\r\n", n)
	for _, node := range nodes {
		err := poll(clusterTimeout, func() error {
			info, err := redisString(node.Addr(), commandTimeout, "CLUSTER", "INFO")
			if err != nil {
				return err
			}
			if !strings.Contains(info, "cluster_state:ok\r\n") || !strings.Contains(info, want) {
				return fmt.Errorf("testenv: CLUSTER INFO on %s:\n%s", node.Addr(), info)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("testenv: cluster never became ok: %v", err)
		}
	}
	return nodes
}
