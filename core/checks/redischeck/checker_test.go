package redischeck_test

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/core/checks/redischeck"
	"github.com/probekit/probekit/internal/testenv"
)

func TestCheckSharedRedis(t *testing.T) {
	t.Parallel()
	chk := redischeck.New(newClient(t, testenv.RedisAddr(t)))
	if err := testenv.CheckWithin(chk, 0); err != nil {
		t.Errorf("Check() = %v; want nil", err)
	}
}

// TestCheckOutages takes one test-owned server through real outages and
// checks it with the same client and Checker throughout.
func TestCheckOutages(t *testing.T) {
	t.Parallel()
	srv := testenv.StartRedis(t)
	chk := redischeck.New(newClient(t, srv.Addr()))

	tests := []struct {
		name    string
		give    func() // the outage, or the end of one
		wantErr func(error) bool
	}{
		{
			name:    "up",
			give:    func() {},
			wantErr: isNil,
		},
		{
			name: "stopped",
			give: srv.Stop,
			wantErr: func(err error) bool {
				return errors.Is(err, syscall.ECONNREFUSED) &&
					strings.HasPrefix(err.Error(), "redischeck: ping "+srv.Addr()+": ") &&
					strings.Contains(err.Error(), "connection refused")
			},
		},
		{
			name:    "restarted",
			give:    srv.Restart,
			wantErr: isNil,
		},
	}
	for _, tt := range tests {
		tt.give()
		if err := testenv.CheckWithin(chk, 0); !tt.wantErr(err) {
			t.Fatalf("%s: Check() = %v; want otherwise", tt.name, errText(err))
		}
	}
}

// TestCheckPaused runs a Checker in a core.Health and pauses its servers
// (SIGSTOP): readiness turns 503 and probes are answered at once, whether
// go-redis honours the check's deadline (ContextTimeoutEnabled) and the
// check fails with its own error, or waits for its ReadTimeout, far
// longer than the check's timeout, and the Health abandons the run and
// reports it still running.
func TestCheckPaused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// give starts the servers and returns the client, the servers to
		// pause, and the error the check must fail with.
		give func(t *testing.T) (c redis.UniversalClient, pause []*testenv.RedisServer, wantErr string)
	}{
		{
			name: "client, ContextTimeoutEnabled false",
			give: func(t *testing.T) (redis.UniversalClient, []*testenv.RedisServer, string) {
				srv := testenv.StartRedis(t)
				return newClient(t, srv.Addr()), []*testenv.RedisServer{srv}, stillRunning
			},
		},
		{
			name: "client, ContextTimeoutEnabled",
			give: func(t *testing.T) (redis.UniversalClient, []*testenv.RedisServer, string) {
				srv := testenv.StartRedis(t)
				c := redis.NewClient(&redis.Options{Addr: srv.Addr(), ReadTimeout: hangTimeout, ContextTimeoutEnabled: true})
				t.Cleanup(func() { _ = c.Close() })
				return c, []*testenv.RedisServer{srv}, "redischeck: ping " + srv.Addr() + ": context deadline exceeded"
			},
		},
		{
			name: "cluster, ContextTimeoutEnabled false",
			give: func(t *testing.T) (redis.UniversalClient, []*testenv.RedisServer, string) {
				nodes := testenv.StartRedisCluster(t, 3)
				return newClusterClient(t, nodes[0].Addr(), nodes[1].Addr(), nodes[2].Addr()), nodes[2:], stillRunning
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, servers, wantErr := tt.give(t)
			assertHangInHealth(t, redischeck.New(c),
				func() {
					for _, s := range servers {
						s.Pause()
					}
				},
				func() {
					for _, s := range servers {
						s.Resume()
					}
				},
				wantErr)
		})
	}
}

func isNil(err error) bool { return err == nil }

func TestCheckContextDone(t *testing.T) {
	t.Parallel()
	srv := testenv.StartRedis(t)
	chk := redischeck.New(newClient(t, srv.Addr()))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()

	err := chk.Check(ctx)
	want := "redischeck: ping " + srv.Addr() + ": context canceled"
	if !errors.Is(err, context.Canceled) || err.Error() != want {
		t.Errorf("Check(canceled) = %v; want %s", errText(err), want)
	}
}

func TestCheckSecretsRedacted(t *testing.T) {
	t.Parallel()
	const secret = "s3cret"
	srv := testenv.StartRedis(t, testenv.RedisArgs("--requirepass", "right-"+secret))

	tests := []struct {
		name string
		give func(t *testing.T) redis.UniversalClient
	}{
		{
			name: "url to closed port",
			give: func(t *testing.T) redis.UniversalClient {
				opt, err := redis.ParseURL("redis://:" + secret + "@" + closedAddr(t))
				if err != nil {
					t.Fatal(err)
				}
				return redis.NewClient(opt)
			},
		},
		{
			name: "wrong password",
			give: func(t *testing.T) redis.UniversalClient {
				return redis.NewClient(&redis.Options{Addr: srv.Addr(), Password: "wrong-" + secret})
			},
		},
		{
			name: "cluster",
			give: func(t *testing.T) redis.UniversalClient {
				return redis.NewClusterClient(&redis.ClusterOptions{
					Addrs:    []string{closedAddr(t), closedAddr(t)},
					Password: secret,
				})
			},
		},
		{
			name: "ring",
			give: func(t *testing.T) redis.UniversalClient {
				return redis.NewRing(&redis.RingOptions{
					Addrs:    map[string]string{"a": closedAddr(t)},
					Password: secret,
				})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := tt.give(t)
			t.Cleanup(func() { _ = c.Close() })

			err := testenv.CheckWithin(redischeck.New(c), 0)
			if err == nil || strings.Contains(err.Error(), secret) {
				t.Errorf("Check() = %v; want an error without %q", errText(err), secret)
			}
		})
	}
}

func TestNewNilClient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		give redis.UniversalClient
	}{
		{name: "nil", give: nil},
		{name: "nil *Client", give: (*redis.Client)(nil)},
		{name: "nil *ClusterClient", give: (*redis.ClusterClient)(nil)},
		{name: "nil *Ring", give: (*redis.Ring)(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			testenv.WantPanic(t, "New("+tt.name+")", func() { redischeck.New(tt.give) })
		})
	}
}
