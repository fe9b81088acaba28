package redischeck_test

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// ClusterClient.Close does not close the Sentinel connection that
		// redis.NewFailoverClusterClient opens, so its +switch-master
		// subscription and that PubSub's two goroutines outlive the client
		// (redis/go-redis#3999, fix proposed in #4000; still so in v9.22.0).
		// Their stacks are matched anywhere, as they may sit in time.Sleep.
		// Only TestCheckFailoverClusterClientMastersOnly makes such a client,
		// and these goroutines are in no other use here.
		goleak.IgnoreAnyFunction("github.com/redis/go-redis/v9.(*sentinelFailover).listen"),
		goleak.IgnoreAnyFunction("github.com/redis/go-redis/v9.(*channel).initHealthCheck.func1"),
		goleak.IgnoreAnyFunction("github.com/redis/go-redis/v9.(*channel).initMsgChan.func1"),
	)
}
