package ctxerr

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestErr(t *testing.T) {
	t.Parallel()
	past, cancelPast := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	t.Cleanup(cancelPast) // not deferred: the subtests run after this function returns
	future, cancelFuture := context.WithTimeout(context.Background(), time.Hour)
	t.Cleanup(cancelFuture)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		want error
	}{
		{name: "no deadline", ctx: context.Background(), want: nil},
		{name: "deadline ahead", ctx: future, want: nil},
		{name: "deadline passed", ctx: past, want: context.DeadlineExceeded},
		{name: "canceled", ctx: canceled, want: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Err(tt.ctx); got != tt.want {
				t.Errorf("Err() = %v; want %v", got, tt.want)
			}
		})
	}
}

// TestWrap covers a client that reports its own error at the deadline,
// before ctx says it is done.
func TestWrap(t *testing.T) {
	t.Parallel()
	errIO := errors.New("read tcp: i/o timeout")
	past, cancelPast := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	t.Cleanup(cancelPast)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		err     error
		wantIs  error
		wantMsg string
	}{
		{name: "nil error", ctx: canceled, err: nil},
		{name: "context live", ctx: context.Background(), err: errIO, wantMsg: "read tcp: i/o timeout"},
		{name: "deadline passed", ctx: past, err: errIO, wantIs: context.DeadlineExceeded,
			wantMsg: "context deadline exceeded: read tcp: i/o timeout"},
		{name: "canceled", ctx: canceled, err: errIO, wantIs: context.Canceled, wantMsg: "context canceled: read tcp: i/o timeout"},
		{name: "already wraps it", ctx: canceled, err: context.Canceled, wantIs: context.Canceled, wantMsg: "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Wrap(tt.ctx, tt.err)
			if tt.err == nil {
				if got != nil {
					t.Errorf("Wrap(nil) = %v; want nil", got)
				}
				return
			}
			if got.Error() != tt.wantMsg || (tt.wantIs != nil && !errors.Is(got, tt.wantIs)) || !errors.Is(got, tt.err) {
				t.Errorf("Wrap() = %q; want %q wrapping %v and %v", got, tt.wantMsg, tt.wantIs, tt.err)
			}
		})
	}
}
