package testenv

import (
	"fmt"
	"net"
	"strings"
)

// RedisOption configures a server started by [StartRedis].
type RedisOption func(*redisConfig)

type redisConfig struct {
	args    []string
	cluster bool                       // cluster node: the bus port must be free too
	ready   []func(*RedisServer) error // polled after the first start
}

// RedisArgs adds command-line arguments for redis-server, for example
// RedisArgs("--requirepass", "s3cret"). They come after the defaults, so
// they may override them.
func RedisArgs(args ...string) RedisOption {
	return func(c *redisConfig) { c.args = append(c.args, args...) }
}

// ReplicaOf makes the server a replica of master. StartRedis then returns
// only once the replication link is up.
func ReplicaOf(master *RedisServer) RedisOption {
	return func(c *redisConfig) {
		host, port, _ := net.SplitHostPort(master.Addr())
		c.args = append(c.args, "--replicaof", host, port)
		c.ready = append(c.ready, func(s *RedisServer) error {
			info, err := redisString(s.addr, commandTimeout, "INFO", "replication")
			if err != nil {
				return err
			}
			if !strings.Contains(info, "master_link_status:up") {
				return fmt.Errorf("testenv: replica %s: link to master %s is not up", s.addr, master.Addr())
			}
			return nil
		})
	}
}
