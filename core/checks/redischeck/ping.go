package redischeck

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/core/checks/internal/ctxerr"
)

// forEachFunc is the shape of ForEachShard and ForEachMaster.
type forEachFunc func(ctx context.Context, fn func(ctx context.Context, client *redis.Client) error) error

// ping pings what is behind the client.
func (c *Checker) ping(ctx context.Context) error {
	switch cl := c.client.(type) {
	case *redis.Client:
		if err := pingNode(ctx, cl, c.secrets()); err != nil {
			return err // not returned directly: a nil *pingError is no nil error
		}
		return nil
	case *redis.ClusterClient:
		if c.mastersOnly {
			return c.pingShards(ctx, cl.ForEachMaster)
		}
		return c.pingShards(ctx, cl.ForEachShard)
	case *redis.Ring:
		return c.pingShards(ctx, cl.ForEachShard)
	default:
		if err := cl.Ping(ctx).Err(); err != nil {
			return newPingError(c.name(), contextOr(ctx, err), nil)
		}
		return nil
	}
}

// pingShards pings every node forEach visits, concurrently, and returns the
// failures of all of them, not only the first as forEach would.
func (c *Checker) pingShards(ctx context.Context, forEach forEachFunc) error {
	var (
		mu      sync.Mutex
		visited int
		failed  []*pingError
	)
	err := forEach(ctx, func(ctx context.Context, node *redis.Client) error {
		c.reached.Store(true)
		if err := ctxerr.Err(ctx); err != nil {
			// ctx ended before the node's turn, spent loading the
			// topology: the node is not to blame.
			return err
		}
		err := pingNode(ctx, node, c.secrets())
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
	if err != nil { // the topology could not be loaded in time
		return newPingError(c.name(), contextOr(ctx, err), c.secrets())
	}
	if visited == 0 {
		return ErrNoShards
	}
	return nil
}

// pingNode pings one node. It returns a *pingError rather than an error so
// that a nil result is a true nil.
func pingNode(ctx context.Context, node *redis.Client, secrets []string) *pingError {
	if err := node.Ping(ctx).Err(); err != nil {
		return newPingError(clientAddr(node), contextOr(ctx, err), append(secrets, node.Options().Password))
	}
	return nil
}

// contextOr returns ctx's error once ctx is done or its deadline has
// passed, whatever go-redis made of it (with ContextTimeoutEnabled, a
// deadline shows up as an i/o timeout, which may come before ctx says it
// is done), so that every check cut short by its deadline wraps
// context.DeadlineExceeded; otherwise it returns err.
func contextOr(ctx context.Context, err error) error {
	if ctxErr := ctxerr.Err(ctx); ctxErr != nil {
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
