package testenv

import (
	"errors"
	"testing"
	"time"
)

func TestPoll(t *testing.T) {
	t.Parallel()
	errFinal := errors.New("final")
	tests := []struct {
		name      string
		giveAfter int   // calls before cond succeeds; -1: never
		giveErr   error // what cond returns until then
		wantErr   error
		wantCalls int // 0: do not check
	}{
		{name: "at once", giveAfter: 0, wantCalls: 1},
		{name: "after three calls", giveAfter: 3, giveErr: errors.New("not yet"), wantCalls: 4},
		{name: "abort", giveAfter: -1, giveErr: abort(errFinal), wantErr: errFinal, wantCalls: 1},
		{name: "timeout", giveAfter: -1, giveErr: errFinal, wantErr: errFinal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			calls := 0
			err := poll(100*time.Millisecond, func() error {
				calls++
				if tt.giveAfter >= 0 && calls > tt.giveAfter {
					return nil
				}
				return tt.giveErr
			})
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("poll() = %v; want %v", err, tt.wantErr)
			}
			if tt.wantCalls != 0 && calls != tt.wantCalls {
				t.Errorf("poll() called cond %d times; want %d", calls, tt.wantCalls)
			}
		})
	}
}
