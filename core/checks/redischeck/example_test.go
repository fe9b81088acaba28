package redischeck_test

import (
	"context"
	"fmt"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/core/checks/redischeck"
)

func Example() {
	mr, err := miniredis.Run() // an in-process Redis for the example
	if err != nil {
		panic(err)
	}
	defer mr.Close()

	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()}) // the app's client
	defer rdb.Close()

	chk := redischeck.New(rdb)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err = chk.Check(ctx)
	fmt.Println("check:", err)
	// Output: check: <nil>
}

func ExampleChecker_Observations() {
	mr, err := miniredis.Run()
	if err != nil {
		panic(err)
	}
	defer mr.Close()
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
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
