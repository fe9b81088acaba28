package sqlcheck

import (
	"context"
	"errors"
	"testing"
)

func TestAwait(t *testing.T) {
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
			// Either await noticed the context first, or it got the
			// driver's error; both wrap context.Canceled.
			wantErr: []error{context.Canceled},
		},
		{
			name:     "panic",
			giveF:    func(context.Context, <-chan struct{}) (int, error) { panic("boom") },
			wantText: "sqlcheck: panic: boom",
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
			got, err := await(ctx, f)
			if tt.giveCancel {
				err = withContext(ctx, err)
			}
			if got != tt.want {
				t.Errorf("await() = %d; want %d", got, tt.want)
			}
			for _, want := range tt.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("await() = %v; want an error wrapping %v", err, want)
				}
			}
			if tt.wantText != "" && (err == nil || err.Error() != tt.wantText) {
				t.Errorf("await() = %v; want %q", err, tt.wantText)
			}
			if tt.wantErr == nil && tt.wantText == "" && err != nil {
				t.Errorf("await() = %v; want nil", err)
			}
		})
	}
}

func TestAwaitDoneContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	_, err := await(ctx, func(context.Context) (int, error) { called = true; return 0, nil })
	if !errors.Is(err, context.Canceled) || called {
		t.Errorf("await(done ctx) = %v, called %v; want context.Canceled, not called", err, called)
	}
}
