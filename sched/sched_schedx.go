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
	if mode&^(ModePriority|ModeNUMA) != 0 {
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
