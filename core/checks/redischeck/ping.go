package redischeck

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// forEachFunc is the shape of ForEachShard and ForEachMaster.
type forEachFunc func(ctx context.Context, fn func(ctx context.Context, client *redis.Client) error) error

// ping pings what is behind the client, recording in pending the targets
// it waits on.
func (c *Checker) ping(ctx context.Context, pending *inflight) error {
	switch cl := c.client.(type) {
	case *redis.Client:
		if err := pingNode(ctx, cl, pending, c.secrets()); err != nil {
			return err // not returned directly: a nil *pingError is no nil error
		}
		return nil
	case *redis.ClusterClient:
		if c.mastersOnly {
			return c.pingShards(ctx, cl.ForEachMaster, pending)
		}
		return c.pingShards(ctx, cl.ForEachShard, pending)
	case *redis.Ring:
		return c.pingShards(ctx, cl.ForEachShard, pending)
	default:
		target := c.name()
		pending.add(target)
		defer pending.done(target)
		if err := cl.Ping(ctx).Err(); err != nil {
			return newPingError(target, contextOr(ctx, err), nil)
		}
		return nil
	}
}

// pingShards pings every node forEach visits, concurrently, and returns the
// failures of all of them, not only the first as forEach would.
func (c *Checker) pingShards(ctx context.Context, forEach forEachFunc, pending *inflight) error {
	var (
		mu      sync.Mutex
		visited int
		failed  []*pingError
	)
	err := forEach(ctx, func(ctx context.Context, node *redis.Client) error {
		c.reached.Store(true)
		err := pingNode(ctx, node, pending, c.secrets())
		mu.Lock()
		defer mu.Unlock()
		visited++
		if err != nil {
			failed = append(failed, err)
			return err
		}
		return nil
	})
	if len(failed) > 0 {
		slices.SortFunc(failed, func(a, b *pingError) int { return strings.Compare(a.target, b.target) })
		return joinPingErrors(failed)
	}
	if err != nil { // the topology could not be loaded
		return newPingError(c.name(), contextOr(ctx, err), c.secrets())
	}
	if visited == 0 {
		return ErrNoShards
	}
	return nil
}

// pingNode pings one node. It returns a *pingError rather than an error so
// that a nil result is a true nil.
func pingNode(ctx context.Context, node *redis.Client, pending *inflight, secrets []string) *pingError {
	target := clientAddr(node)
	pending.add(target)
	defer pending.done(target)
	if err := node.Ping(ctx).Err(); err != nil {
		return newPingError(target, contextOr(ctx, err), append(secrets, node.Options().Password))
	}
	return nil
}

// contextOr returns ctx.Err() once ctx is done, whatever go-redis made of
// it (with ContextTimeoutEnabled, a deadline shows up as an i/o timeout),
// so that every check cut short by its deadline wraps
// context.DeadlineExceeded; otherwise it returns err.
func contextOr(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return err
}

// clientAddr names a node client in errors: its address, or "failover
// master" for the client of redis.NewFailoverClient, whose master address
// is only known to Sentinel.
func clientAddr(c *redis.Client) string {
	addr := c.Options().Addr
	if addr == "FailoverClient" { // the placeholder go-redis sets
		return "failover master"
	}
	return addr
}
