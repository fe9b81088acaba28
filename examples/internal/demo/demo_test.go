package demo

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want Config
	}{
		{
			name: "defaults",
			want: Config{Addr: ":8080", APIToken: "secret-token"},
		},
		{
			name: "everything set",
			env: map[string]string{"ADDR": ":9000", "GRPC_ADDR": ":9001", "REDIS_ADDR": "r:6379",
				"DATABASE_URL": "postgres://x", "API_TOKEN": "t"},
			want: Config{Addr: ":9000", GRPCAddr: ":9001", RedisAddr: "r:6379", DatabaseURL: "postgres://x", APIToken: "t"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Load(func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("Load() = %+v; want %+v", got, tt.want)
			}
		})
	}
}
