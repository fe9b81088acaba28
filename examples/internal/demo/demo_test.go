package demo

import (
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		want    Config
		wantErr string
	}{
		{
			name: "defaults",
			want: Config{Addr: ":8080", APIToken: "secret-token", DrainDelay: 5 * time.Second},
		},
		{
			name: "everything set",
			env: map[string]string{"ADDR": ":9000", "REDIS_ADDR": "r:6379", "DATABASE_URL": "postgres://x", "API_TOKEN": "t",
				"HEALTH_INTERVAL": "1s", "HEALTH_TIMEOUT": "250ms", "HEALTH_FAILURE_THRESHOLD": "5", "HEALTH_DRAIN_DELAY": "0s"},
			want: Config{Addr: ":9000", RedisAddr: "r:6379", DatabaseURL: "postgres://x", APIToken: "t",
				Interval: time.Second, Timeout: 250 * time.Millisecond, FailureThreshold: 5, DrainDelay: 0},
		},
		{name: "bad interval", env: map[string]string{"HEALTH_INTERVAL": "5"}, wantErr: `HEALTH_INTERVAL="5"`},
		{name: "negative drain delay", env: map[string]string{"HEALTH_DRAIN_DELAY": "-1s"}, wantErr: "HEALTH_DRAIN_DELAY"},
		{name: "zero threshold", env: map[string]string{"HEALTH_FAILURE_THRESHOLD": "0"}, wantErr: "HEALTH_FAILURE_THRESHOLD"},
		{name: "two bad values", env: map[string]string{"HEALTH_TIMEOUT": "x", "HEALTH_FAILURE_THRESHOLD": "many"}, wantErr: "HEALTH_TIMEOUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Load(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load() error = %v; want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Load() = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
