package redischeck

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/core"
)

var (
	_ core.Checker  = (*Checker)(nil)
	_ core.Observer = (*Checker)(nil)
)

// Checker checks a go-redis v9 client by pinging the servers behind it, and
// reports the client's connection pool statistics as observations. It uses
// the application's client and its pool; it never opens connections of its
// own, and never closes the client.
//
// What Check pings depends on the client:
//
//   - *redis.Client, single-node or made by [redis.NewFailoverClient]: one
//     PING, to the server or to the master Sentinel names.
//   - *redis.ClusterClient, including [redis.NewFailoverClusterClient]:
//     PING to every node the client knows, masters and replicas, or only the
//     masters with [MastersOnly]. Check fails if any node fails.
//   - *redis.Ring: PING to every shard the ring considers live. A shard its
//     heartbeat has marked down is out of the ring, which sends its keys to
//     the others, and is not pinged; with no live shard Check returns
//     [ErrNoShards].
//   - any other [redis.UniversalClient]: its Ping method.
//
// A Checker is safe for concurrent use.
type Checker struct {
	client      redis.UniversalClient
	mastersOnly bool

	// reached is set once a Check has reached a node of a cluster, which
	// proves the client has loaded the cluster topology: only then is
	// ClusterClient.PoolStats free of network round trips.
	reached atomic.Bool
}

// New returns a Checker for c, the client the application already uses.
// Closing c stays the application's job. New panics if c is nil.
func New(c redis.UniversalClient, opts ...Option) *Checker {
	if isNil(c) {
		panic("redischeck: New: nil client")
	}
	chk := &Checker{client: c}
	for _, o := range opts {
		if o != nil { // a nil option is ignored, as in core
			o.apply(chk)
		}
	}
	return chk
}

// Check pings the servers behind the client (see [Checker]) and returns nil
// if all of them answered, or an error naming each node that did not. Error
// text never contains the client's password.
//
// Check pings in the calling goroutine and returns when go-redis does. An
// error after ctx ended wraps ctx.Err() and names the nodes, such as
// "redischeck: ping 127.0.0.1:6380: context deadline exceeded". go-redis
// honours ctx's deadline while it waits for a reply only with
// ContextTimeoutEnabled; with the default, false, it gives up at its
// ReadTimeout (3 s by default). A [core.Health] does not wait that long:
// it abandons the run at the check's timeout ([core.Timeout]) and reports
// the check failing ("still running") until the PING returns. With ctx
// already done, Check sends nothing.
func (c *Checker) Check(ctx context.Context) (err error) {
	if err := ctx.Err(); err != nil {
		return newPingError(c.name(), err, nil)
	}
	defer func() {
		if v := recover(); v != nil { // in a hook on the client, say
			err = fmt.Errorf("redischeck: ping panicked: %v", v)
		}
	}()
	return c.ping(ctx)
}

// name names the client in errors that no single node is to blame for.
func (c *Checker) name() string {
	switch cl := c.client.(type) {
	case *redis.Client:
		return clientAddr(cl)
	case *redis.ClusterClient:
		return "cluster"
	case *redis.Ring:
		return "ring"
	default:
		return "redis"
	}
}

// secrets returns the passwords configured on the client, to keep out of
// error text.
func (c *Checker) secrets() []string {
	switch cl := c.client.(type) {
	case *redis.Client:
		return []string{cl.Options().Password}
	case *redis.ClusterClient:
		return []string{cl.Options().Password}
	case *redis.Ring:
		return []string{cl.Options().Password}
	default:
		return nil
	}
}

// isNil reports whether c is nil or a typed nil pointer to a go-redis
// client.
func isNil(c redis.UniversalClient) bool {
	switch cl := c.(type) {
	case nil:
		return true
	case *redis.Client:
		return cl == nil
	case *redis.ClusterClient:
		return cl == nil
	case *redis.Ring:
		return cl == nil
	default:
		return false
	}
}
