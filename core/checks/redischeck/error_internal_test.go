package redischeck

import (
	"errors"
	"testing"
)

func TestNewPingError(t *testing.T) {
	t.Parallel()
	cause := errors.New(`dial redis://:s3cret@db:6379: auth "s3cret" failed`)
	tests := []struct {
		name        string
		giveTarget  string
		giveSecrets []string
		want        string
	}{
		{
			name:       "no secrets",
			giveTarget: "db:6379",
			want:       `redischeck: ping db:6379: dial redis://:s3cret@db:6379: auth "s3cret" failed`,
		},
		{
			name:        "empty secret ignored",
			giveTarget:  "db:6379",
			giveSecrets: []string{""},
			want:        `redischeck: ping db:6379: dial redis://:s3cret@db:6379: auth "s3cret" failed`,
		},
		{
			name:        "every occurrence",
			giveTarget:  "db:6379",
			giveSecrets: []string{"", "s3cret"},
			want:        `redischeck: ping db:6379: dial redis://:xxxxx@db:6379: auth "xxxxx" failed`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := newPingError(tt.giveTarget, cause, tt.giveSecrets)
			if got := err.Error(); got != tt.want {
				t.Errorf("newPingError(%q, cause, %q) = %q; want %q", tt.giveTarget, tt.giveSecrets, got, tt.want)
			}
			if !errors.Is(err, cause) {
				t.Errorf("newPingError(...) does not wrap its cause")
			}
		})
	}
}

func TestJoinPingErrors(t *testing.T) {
	t.Parallel()
	a := newPingError("a:1", errors.New("refused"), nil)
	b := newPingError("b:2", errors.New("reset"), nil)
	tests := []struct {
		name string
		give []*pingError
		want string // "" for a nil error
	}{
		{name: "none", give: nil, want: ""},
		{name: "one", give: []*pingError{a}, want: "redischeck: ping a:1: refused"},
		{name: "two", give: []*pingError{a, b}, want: "redischeck: ping a:1: refused; ping b:2: reset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := joinPingErrors(tt.give)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("joinPingErrors(%s) = %q; want %q", tt.name, got, tt.want)
			}
			for _, pe := range tt.give {
				if !errors.Is(err, pe) {
					t.Errorf("joinPingErrors(%s) does not wrap %q", tt.name, pe)
				}
			}
		})
	}
}
