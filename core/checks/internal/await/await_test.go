package await

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestDo(t *testing.T) {
	t.Parallel()
	errDriver := errors.New("driver: closed")
	tests := []struct {
		name       string
		giveCancel bool // cancel the context before f returns
		giveF      func(ctx context.Context, release <-chan struct{}) (int, error)
		want       int
		wantErr    []error // each must match
		wantText   string
	}{
		{
			name:  "result",
			giveF: func(context.Context, <-chan struct{}) (int, error) { return 42, nil },
			want:  42,
		},
		{
			name:     "error",
			giveF:    func(context.Context, <-chan struct{}) (int, error) { return 0, errDriver },
			wantErr:  []error{errDriver},
			wantText: "driver: closed",
		},
		{
			name:       "abandoned",
			giveCancel: true,
			giveF: func(_ context.Context, release <-chan struct{}) (int, error) {
				<-release
				return 1, nil
			},
			wantErr:  []error{context.Canceled},
			wantText: "context canceled",
		},
		{
			name:       "driver gives up first",
			giveCancel: true,
			giveF: func(ctx context.Context, _ <-chan struct{}) (int, error) {
				<-ctx.Done()
				return 0, errDriver
			},
			// Either Do noticed the context first, or it got the
			// driver's error; both wrap context.Canceled.
			wantErr: []error{context.Canceled},
		},
		{
			name:     "panic",
			giveF:    func(context.Context, <-chan struct{}) (int, error) { panic("boom") },
			wantText: "panic: boom",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			release := make(chan struct{})
			t.Cleanup(func() { close(release) })
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			started := make(chan struct{})
			f := func(ctx context.Context) (int, error) {
				close(started)
				return tt.giveF(ctx, release)
			}
			if tt.giveCancel {
				go func() { <-started; cancel() }()
			}
			got, err := Do(ctx, f)
			if tt.giveCancel {
				err = WithContext(ctx, err)
			}
			if got != tt.want {
				t.Errorf("Do() = %d; want %d", got, tt.want)
			}
			for _, want := range tt.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("Do() = %v; want an error wrapping %v", err, want)
				}
			}
			if tt.wantText != "" && (err == nil || err.Error() != tt.wantText) {
				t.Errorf("Do() = %v; want %q", err, tt.wantText)
			}
			if tt.wantErr == nil && tt.wantText == "" && err != nil {
				t.Errorf("Do() = %v; want nil", err)
			}
		})
	}
}

func TestDoDoneContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	_, err := Do(ctx, func(context.Context) (int, error) { called = true; return 0, nil })
	if !errors.Is(err, context.Canceled) || called {
		t.Errorf("Do(done ctx) = %v, called %v; want context.Canceled, not called", err, called)
	}
}

// TestWithContext covers a client that reports its own error at the
// deadline, before ctx says it is done.
func TestWithContext(t *testing.T) {
	t.Parallel()
	errIO := errors.New("read tcp: i/o timeout")
	past, cancelPast := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancelPast()
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
			got := WithContext(tt.ctx, tt.err)
			if tt.err == nil {
				if got != nil {
					t.Errorf("WithContext(nil) = %v; want nil", got)
				}
				return
			}
			if got.Error() != tt.wantMsg || (tt.wantIs != nil && !errors.Is(got, tt.wantIs)) || !errors.Is(got, tt.err) {
				t.Errorf("WithContext() = %q; want %q wrapping %v and %v", got, tt.wantMsg, tt.wantIs, tt.err)
			}
		})
	}
}
