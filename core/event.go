package core

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Event reports one status transition, of a check or of a probe's
// aggregate. Events are logged once and delivered to listeners (see
// [Health.Listen]) in the order they happened.
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

// notifier delivers transitions and results to listeners on its own
// goroutine, so neither a probe nor the scheduler ever waits for a
// listener.
type notifier struct {
	logger *slog.Logger

	mu        sync.Mutex
	queue     []notice
	dropped   int
	listeners []*listener // copy on write
	results   int         // how many listeners take results
	signal    chan struct{}
}

// notice is one queued delivery: a transition, or a check's result.
type notice struct {
	ev     Event
	state  CheckState
	result bool
}

type listener struct {
	fn  func(Event)
	res func(CheckState)
}

func (n *notifier) init(logger *slog.Logger, fns []func(Event)) {
	n.logger = logger
	n.signal = make(chan struct{}, 1)
	for _, fn := range fns {
		if fn != nil {
			n.listeners = append(n.listeners, &listener{fn: fn})
		}
	}
}

// push queues transitions for delivery. It never blocks.
func (n *notifier) push(evs []Event) {
	if len(evs) == 0 {
		return
	}
	n.mu.Lock()
	if len(n.listeners) == n.results {
		n.mu.Unlock()
		return
	}
	for _, ev := range evs {
		n.queue = append(n.queue, notice{ev: ev})
	}
	n.trimLocked()
	n.mu.Unlock()
	n.wake()
}

// pushResult queues a check's state after a result, for result listeners.
// It never blocks, and costs nothing when no one listens for results.
func (n *notifier) pushResult(st CheckState) {
	n.mu.Lock()
	if n.results == 0 {
		n.mu.Unlock()
		return
	}
	n.queue = append(n.queue, notice{state: st, result: true})
	n.trimLocked()
	n.mu.Unlock()
	n.wake()
}

func (n *notifier) trimLocked() {
	if over := len(n.queue) - maxQueuedEvents; over > 0 {
		n.queue = append(n.queue[:0], n.queue[over:]...)
		n.dropped += over
	}
}

func (n *notifier) wake() {
	select {
	case n.signal <- struct{}{}:
	default:
	}
}

// add registers l and returns a function that removes it.
func (n *notifier) add(l *listener) func() {
	n.mu.Lock()
	n.listeners = append(n.listeners[:len(n.listeners):len(n.listeners)], l)
	if l.res != nil {
		n.results++
	}
	n.mu.Unlock()
	return func() {
		n.mu.Lock()
		defer n.mu.Unlock()
		for i, x := range n.listeners {
			if x == l {
				n.listeners = append(n.listeners[:i:i], n.listeners[i+1:]...)
				if l.res != nil {
					n.results--
				}
				return
			}
		}
	}
}

// run delivers queued notices until ctx is done and then, once the
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
		queue, dropped, ls := n.queue, n.dropped, n.listeners
		n.queue, n.dropped = nil, 0
		n.mu.Unlock()
		if dropped > 0 {
			n.logger.Warn("health listeners too slow, notices dropped", "dropped", dropped)
		}
		if len(queue) == 0 {
			return
		}
		for i := range queue {
			for _, l := range ls {
				n.call(l, &queue[i])
			}
		}
	}
}

func (n *notifier) call(l *listener, x *notice) {
	defer func() {
		if r := recover(); r != nil {
			n.logger.Error("health listener panicked", "check", x.ev.Check+x.state.Name, "panic", r)
		}
	}()
	switch {
	case x.result && l.res != nil:
		l.res(x.state)
	case !x.result && l.fn != nil:
		l.fn(x.ev)
	}
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
