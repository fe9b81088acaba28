// Package redischeck provides a [core.Checker] for Redis through the
// application's own go-redis v9 client: a single server, a Sentinel-managed
// master, a Redis Cluster or a Ring.
//
// # Usage
//
// Hand [New] the client the application already has; the checker shares its
// connection pool and never opens connections of its own:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
//	defer rdb.Close()
//
//	h, err := core.New(
//		core.WithCheck("redis", redischeck.New(rdb)),
//	)
//	if err != nil {
//		return err
//	}
//	defer h.Close()
//
// The same call takes a *redis.ClusterClient, a *redis.Ring or any
// [redis.UniversalClient]. For a cluster, Check pings every node and fails
// naming each one that does not answer; [MastersOnly] limits it to the
// masters.
//
// # Deadlines
//
// Check pings in the calling goroutine and returns when go-redis does.
// go-redis honours the context's deadline while it waits for a reply only
// with ContextTimeoutEnabled; then a Redis that hangs fails the check at
// the deadline with an error wrapping [context.DeadlineExceeded] and
// naming the node, such as
//
//	redischeck: ping 127.0.0.1:6380: context deadline exceeded
//
// With the default, ContextTimeoutEnabled false, go-redis waits for the
// reply until its ReadTimeout (3 s by default). The [core.Health] does not
// wait for it: it abandons the run at the check's timeout ([core.Timeout])
// and reports the check failing ("core: check still running after …")
// until the PING returns, starting no other PING meanwhile.
//
// go-redis retries a refused connection (Options.MaxRetries times, each
// dial Options.DialerRetries times), which takes about 1.7 s with the
// defaults. If the check's timeout is shorter, a Redis that is down is
// reported as a deadline exceeded rather than a refused connection; lower
// those options on the client, or raise the check's timeout, to see the
// refusal itself.
//
// # Errors and secrets
//
// Errors name the node that failed by its address, never by the URL it was
// configured with, and any password configured on the client is replaced
// in their text. They still wrap the go-redis error, so errors.Is works
// (for example with [context.DeadlineExceeded] or syscall.ECONNREFUSED);
// print the wrapped error only where a password would do no harm.
//
// # Observations
//
// A Checker is also a [core.Observer]: after each Check the scheduler reads
// the client's pool statistics (total, idle and stale connections, pool
// hits, misses and timeouts); see [Checker.Observations].
package redischeck
