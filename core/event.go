package core

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Event reports one status transition, of a check or of a probe's
// aggregate. Events are logged once and delivered to listeners (see
// [WithListener] and [Health.Listen]) in the order they happened.
type Event struct {
	// Time is when the transition happened.
	Time time.Time
	// Check is the check's or hold's name; empty for a probe's aggregate.
	Check string
	// Probe is the probe whose aggregate changed, or for a check event the
	// probes the check counts for.
	Probe Probe
	// From and To are the statuses before and after.
	From, To Status
	// Err is the redacted error text of the result that caused a check
	// transition, or the reason for an aggregate one (such as "draining").
	Err string
}

// maxQueuedEvents bounds the events waiting for a slow listener. Past it the
// oldest are dropped and the drop is logged.
const maxQueuedEvents = 4096

// notifier delivers events to listeners on its own goroutine, so neither a
// probe nor the scheduler ever waits for a listener.
type notifier struct {
	logger *slog.Logger

	mu        sync.Mutex
	queue     []Event
	dropped   int
	listeners []*listener // copy on write
	signal    chan struct{}
}

type listener struct{ fn func(Event) }

func (n *notifier) init(logger *slog.Logger, fns []func(Event)) {
	n.logger = logger
	n.signal = make(chan struct{}, 1)
	for _, fn := range fns {
		if fn != nil {
			n.listeners = append(n.listeners, &listener{fn: fn})
		}
	}
}

// push queues events for delivery. It never blocks.
func (n *notifier) push(evs []Event) {
	if len(evs) == 0 {
		return
	}
	n.mu.Lock()
	if len(n.listeners) == 0 {
		n.mu.Unlock()
		return
	}
	n.queue = append(n.queue, evs...)
	if over := len(n.queue) - maxQueuedEvents; over > 0 {
		n.queue = append(n.queue[:0], n.queue[over:]...)
		n.dropped += over
	}
	n.mu.Unlock()
	select {
	case n.signal <- struct{}{}:
	default:
	}
}

// add registers fn and returns a function that removes it.
func (n *notifier) add(fn func(Event)) func() {
	l := &listener{fn: fn}
	n.mu.Lock()
	n.listeners = append(n.listeners[:len(n.listeners):len(n.listeners)], l)
	n.mu.Unlock()
	return func() {
		n.mu.Lock()
		defer n.mu.Unlock()
		for i, x := range n.listeners {
			if x == l {
				n.listeners = append(n.listeners[:i:i], n.listeners[i+1:]...)
				return
			}
		}
	}
}

// run delivers queued events until ctx is done and then, once the
// scheduler has stopped (stopped is closed), delivers what is left.
func (n *notifier) run(ctx context.Context, stopped <-chan struct{}) {
	for {
		select {
		case <-n.signal:
			n.deliver()
		case <-ctx.Done():
			<-stopped
			n.deliver()
			return
		}
	}
}

func (n *notifier) deliver() {
	for {
		n.mu.Lock()
		evs, dropped, ls := n.queue, n.dropped, n.listeners
		n.queue, n.dropped = nil, 0
		n.mu.Unlock()
		if dropped > 0 {
			n.logger.Warn("health listeners too slow, events dropped", "dropped", dropped)
		}
		if len(evs) == 0 {
			return
		}
		for _, ev := range evs {
			for _, l := range ls {
				n.call(l, ev)
			}
		}
	}
}

func (n *notifier) call(l *listener, ev Event) {
	defer func() {
		if r := recover(); r != nil {
			n.logger.Error("health listener panicked", "check", ev.Check, "panic", r)
		}
	}()
	l.fn(ev)
}

// logEvents logs each transition once, with the stable keys check or
// probe, from, to and err.
func logEvents(l *slog.Logger, evs []Event) {
	ctx := context.Background()
	for _, ev := range evs {
		level := slog.LevelInfo
		if !ev.To.Passing() && ev.To != StatusStarting {
			level = slog.LevelWarn
		}
		if !l.Enabled(ctx, level) {
			continue
		}
		msg, key, subject := "health check status changed", "check", ev.Check
		if ev.Check == "" {
			msg, key, subject = "health probe status changed", "probe", probeNames[ev.Probe.index()]
		}
		attrs := []slog.Attr{slog.String(key, subject), slog.String("from", ev.From.String()), slog.String("to", ev.To.String())}
		if ev.Err != "" {
			attrs = append(attrs, slog.String("err", ev.Err))
		}
		l.LogAttrs(ctx, level, msg, attrs...)
	}
}
