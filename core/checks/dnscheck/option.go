package dnscheck

import (
	"net"
	"net/netip"
)

// DefaultNetwork is the network a [Checker] resolves for unless told
// otherwise: "ip", IPv4 and IPv6 addresses both.
const DefaultNetwork = "ip"

// Option configures a [Checker]; pass options to [New].
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// config is what the options set; New turns it into a Checker.
type config struct {
	resolver *net.Resolver
	network  string
	min      int
	want     []netip.Addr
}

// Resolver sets the resolver Check uses, such as the application's own
// (one with PreferGo and a Dial function that asks a particular server).
// A nil r, the default, means [net.DefaultResolver], the one net.Dial and
// the HTTP client use, so the check sees what the application sees.
func Resolver(r *net.Resolver) Option {
	return optionFunc(func(c *config) { c.resolver = r })
}

// Network sets which addresses count: "ip" (the default,
// [DefaultNetwork]), "ip4" or "ip6". An empty network means the default;
// any other makes every Check fail with [ErrInvalidConfig].
func Network(network string) Option {
	return optionFunc(func(c *config) { c.network = network })
}

// MinAddrs sets how many addresses the name must resolve to at least, for
// a service that needs a quorum of replicas behind one name. Default 1;
// zero or negative means the default. Fewer fail with an error wrapping
// [ErrTooFewAddrs].
func MinAddrs(n int) Option {
	return optionFunc(func(c *config) { c.min = n })
}

// ExpectAddr makes Check fail, with an error wrapping [ErrMissingAddr],
// unless every one of addrs is among the addresses the name resolves to,
// for a name that must point at a known address. IPv4 addresses match
// whether written as IPv4 or IPv4-mapped IPv6. By default any address
// passes. Given several times, every address given counts; an invalid
// (zero) address makes every Check fail with [ErrInvalidConfig].
func ExpectAddr(addrs ...netip.Addr) Option {
	return optionFunc(func(c *config) { c.want = append(c.want, addrs...) })
}
