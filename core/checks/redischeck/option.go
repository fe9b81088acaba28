package redischeck

// Option configures a [Checker]; pass options to [New].
type Option interface {
	apply(*Checker)
}

type optionFunc func(*Checker)

func (f optionFunc) apply(c *Checker) { f(c) }

// MastersOnly makes Check ping only the masters of a *redis.ClusterClient
// (ForEachMaster) instead of every node (ForEachShard), so that a failed
// replica, which the client can route around, does not fail the check.
// This includes the client of [redis.NewFailoverClusterClient], whose
// replicas come from Sentinel.
//
// By default every node is pinged. The option changes nothing for the other
// clients: a *redis.Client, single-node or made by [redis.NewFailoverClient],
// only ever talks to its master, and a *redis.Ring has no replicas.
func MastersOnly() Option {
	return optionFunc(func(c *Checker) { c.mastersOnly = true })
}
