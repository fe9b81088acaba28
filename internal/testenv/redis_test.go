package testenv

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ping sends PING to addr and returns the reply.
func ping(t *testing.T, addr string) (string, error) {
	t.Helper()
	return redisString(addr, commandTimeout, "PING")
}

// mustPing fails the test unless addr answers PONG.
func mustPing(t *testing.T, addr string) {
	t.Helper()
	if got, err := ping(t, addr); err != nil || got != "PONG" {
		t.Fatalf("PING %s = %q, %v; want PONG, nil", addr, got, err)
	}
}

func TestStartRedis(t *testing.T) {
	t.Parallel()
	s := StartRedis(t)
	host, _, err := net.SplitHostPort(s.Addr())
	if err != nil || host != "127.0.0.1" {
		t.Errorf("Addr() = %q; want 127.0.0.1:port", s.Addr())
	}
	mustPing(t, s.Addr())
}

func TestRedisArgs(t *testing.T) {
	t.Parallel()
	s := StartRedis(t, RedisArgs("--requirepass", "s3cret"))
	_, err := ping(t, s.Addr())
	if err == nil || !strings.Contains(err.Error(), "NOAUTH") {
		t.Errorf("PING without AUTH = %v; want a NOAUTH error", err)
	}
}

func TestRedisServerStopRestart(t *testing.T) {
	t.Parallel()
	s := StartRedis(t)
	addr := s.Addr()

	s.Stop()
	if _, err := net.Dial("tcp", addr); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("Dial(%s) after Stop = %v; want connection refused", addr, err)
	}

	s.Restart()
	if s.Addr() != addr {
		t.Errorf("Addr() after Restart = %s; want %s", s.Addr(), addr)
	}
	mustPing(t, addr)

	// A second round trip proves Restart leaves the server stoppable.
	s.Stop()
	s.Restart()
	mustPing(t, addr)
}

func TestRedisServerPauseResume(t *testing.T) {
	t.Parallel()
	s := StartRedis(t)

	s.Pause()
	// The kernel still completes the handshake, but no reply ever comes.
	_, err := redisDo(s.Addr(), 200*time.Millisecond, "PING")
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("PING %s while paused = %v; want a timeout", s.Addr(), err)
	}

	s.Resume()
	mustPing(t, s.Addr())
}

func TestRedisServerCleanup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		give func(*RedisServer)
	}{
		{name: "running", give: func(*RedisServer) {}},
		{name: "paused", give: (*RedisServer).Pause},
		{name: "stopped", give: (*RedisServer).Stop},
		{name: "restarted", give: func(s *RedisServer) { s.Stop(); s.Restart() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var pids []int
			t.Run("owner", func(t *testing.T) {
				s := StartRedis(t)
				pids = append(pids, s.cmd.Process.Pid)
				tt.give(s)
				if s.cmd != nil {
					pids = append(pids, s.cmd.Process.Pid)
				}
			})
			for _, pid := range pids {
				p, err := os.FindProcess(pid)
				if err != nil {
					continue // already gone
				}
				if err := p.Signal(syscall.Signal(0)); err == nil {
					t.Errorf("process %d still runs after its test ended", pid)
				}
			}
		})
	}
}

func TestStartRedisCluster(t *testing.T) {
	t.Parallel()
	nodes := StartRedisCluster(t, 3)
	if len(nodes) != 3 {
		t.Fatalf("StartRedisCluster(t, 3) returned %d nodes; want 3", len(nodes))
	}
	for _, n := range nodes {
		mustPing(t, n.Addr())
	}

	nodes[1].Stop()
	nodes[1].Restart()
	// The restarted node reads its nodes.conf and rejoins the cluster.
	Eventually(t, clusterTimeout, func() error {
		info, err := redisString(nodes[1].Addr(), commandTimeout, "CLUSTER", "INFO")
		if err != nil {
			return err
		}
		if !strings.Contains(info, "cluster_state:ok") {
			return errors.New("restarted node: cluster_state is not ok")
		}
		return nil
	})
}

func TestStartSentinel(t *testing.T) {
	t.Parallel()
	master := StartRedis(t)
	replica := StartRedis(t, ReplicaOf(master))
	sentinel := StartSentinel(t, master, replica)

	v, err := redisDo(sentinel.Addr(), commandTimeout, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", SentinelMasterName)
	if err != nil {
		t.Fatalf("SENTINEL GET-MASTER-ADDR-BY-NAME: %v", err)
	}
	hostPort, _ := v.([]any)
	if len(hostPort) != 2 {
		t.Fatalf("SENTINEL GET-MASTER-ADDR-BY-NAME = %v; want [host port]", v)
	}
	got := net.JoinHostPort(hostPort[0].(string), hostPort[1].(string))
	if got != master.Addr() {
		t.Errorf("SENTINEL GET-MASTER-ADDR-BY-NAME = %s; want %s", got, master.Addr())
	}

	role, err := redisDo(replica.Addr(), commandTimeout, "ROLE")
	if r, _ := role.([]any); err != nil || len(r) == 0 || r[0] != "slave" {
		t.Errorf("ROLE on replica = %v, %v; want slave", role, err)
	}
}

// recordingTB records what Unavailable reports instead of ending the test.
type recordingTB struct {
	testing.TB
	msg string
}

func (r *recordingTB) Helper()                          {}
func (r *recordingTB) Skipf(format string, args ...any) { r.msg = fmt.Sprintf(format, args...) }
func (r *recordingTB) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
}

func TestStartRedisUnavailable(t *testing.T) {
	// Not parallel: t.Setenv.
	t.Setenv("TEST_REDIS_SERVER", "/nonexistent/redis-server")
	tb := &recordingTB{TB: t}
	if s := StartRedis(tb); s != nil {
		t.Errorf("StartRedis() without a binary = %v; want nil", s)
	}
	if !strings.Contains(tb.msg, "/nonexistent/redis-server is not installed") {
		t.Errorf("StartRedis() without a binary reported %q; want it to name the missing binary", tb.msg)
	}
}
