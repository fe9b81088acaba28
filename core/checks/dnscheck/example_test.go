package dnscheck_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/probekit/probekit/core/checks/dnscheck"
)

func ExampleNew() {
	// In an application: core.WithCheck("dns", dnscheck.New("db.internal")).
	c := dnscheck.New("localhost")
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	fmt.Println(c.Check(ctx))
	// Output: <nil>
}

func ExampleExpectAddr() {
	c := dnscheck.New("localhost", dnscheck.Network("ip4"), dnscheck.ExpectAddr(netip.MustParseAddr("127.0.0.1")))
	fmt.Println(c.Check(context.Background()))
	// Output: <nil>
}

func ExampleMinAddrs() {
	// A name that must lead to a quorum of three replicas.
	c := dnscheck.New("localhost", dnscheck.MinAddrs(3))
	err := c.Check(context.Background())
	fmt.Println(errors.Is(err, dnscheck.ErrTooFewAddrs))
	// Output: true
}

func ExampleChecker_Observations() {
	c := dnscheck.New("localhost", dnscheck.Network("ip4"))
	if err := c.Check(context.Background()); err != nil {
		panic(err)
	}
	for _, o := range c.Observations() {
		if o.Name == "resolve_time" {
			fmt.Println(o.Name, o.Unit) // its value varies
			continue
		}
		fmt.Println(o.Name, o.Value)
	}
	// Output:
	// resolve_time ms
	// addresses 1
}
