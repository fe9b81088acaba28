package redischeck_test

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/core/checks/redischeck"
	"github.com/probekit/probekit/internal/testenv"
)

func Example() {
	addr, stop := testenv.ServePING() // a stand-in Redis for the example
	defer stop()

	rdb := redis.NewClient(&redis.Options{Addr: addr}) // the app's client
	defer rdb.Close()

	chk := redischeck.New(rdb)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := chk.Check(ctx)
	fmt.Println("check:", err)
	// Output: check: <nil>
}

func ExampleChecker_Observations() {
	addr, stop := testenv.ServePING()
	defer stop()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()

	chk := redischeck.New(rdb)
	if err := chk.Check(context.Background()); err != nil {
		panic(err)
	}
	for _, o := range chk.Observations() {
		fmt.Printf("%s=%v\n", o.Name, o.Value)
	}
	// Output:
	// total_connections=1
	// idle_connections=1
	// stale_connections=0
	// pool_hits=0
	// pool_misses=1
	// pool_timeouts=0
}
