//go:build schedx

package sched

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

const available = true

// SetPriority sets the calling goroutine's priority and returns the
// previous one; goroutines it starts afterwards inherit it. It panics if
// p is no level (runtime.SetGoroutinePriority checks).
func SetPriority(p Priority) Priority {
	return Priority(runtime.SetGoroutinePriority(runtime.Priority(p)))
}

// CurrentPriority returns the calling goroutine's priority.
func CurrentPriority() Priority {
	return Priority(runtime.GoroutinePriority())
}

// SetMode switches the scheduler to mode and returns the previous mode.
// It reports ErrUnavailable, and leaves the mode, if a policy of mode is
// not available in this build.
func SetMode(mode Mode) (prev Mode, err error) {
	if mode&^(ModePriority|ModeNUMA|ModeFair) != 0 {
		return CurrentMode(), fmt.Errorf("%w: %v", ErrUnavailable, mode)
	}
	defer func() {
		if r := recover(); r != nil {
			prev, err = CurrentMode(), fmt.Errorf("%w: %v", ErrUnavailable, r)
		}
	}()
	return Mode(debug.SetSchedulerMode(debug.SchedulerMode(mode))), nil
}

// CurrentMode returns the scheduler mode.
func CurrentMode() Mode {
	return Mode(debug.CurrentSchedulerMode())
}

// A Group is a goroutine group: runtime.SchedGroup. Its goroutines share
// the CPU with other groups by its weight while the mode includes
// ModeFair, are held to its CPU limit, and their CPU time is kept.
type Group = runtime.SchedGroup

// NewGroup returns a new group (runtime.NewSchedGroup). It panics if
// weight is not in [1, 10000]; the root group's weight is 100.
func NewGroup(name string, weight int) *Group {
	return runtime.NewSchedGroup(name, weight)
}

// SetGroup moves the calling goroutine into g (nil: the root group) and
// returns its previous group; goroutines it starts afterwards are in g.
func SetGroup(g *Group) *Group {
	return runtime.SetGoroutineGroup(g)
}

// CurrentGroup returns the calling goroutine's group (nil: the root
// group).
func CurrentGroup() *Group {
	return runtime.GoroutineGroup()
}

// GoroutineCPUTime returns the nanoseconds the calling goroutine has
// spent running (runtime.GoroutineCPUTime); it never decreases.
func GoroutineCPUTime() int64 {
	return runtime.GoroutineCPUTime()
}
