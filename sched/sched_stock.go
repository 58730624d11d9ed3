//go:build !schedx

package sched

import (
	"fmt"
	"strconv"
)

const available = false

// SetPriority checks p and ignores it: stock Go has no priorities. It
// returns Normal. It panics if p is no level, as the fork does.
func SetPriority(p Priority) Priority {
	checkPriority(p)
	return Normal
}

// checkPriority panics, as the fork's runtime.SetGoroutinePriority does (there the runtime checks),
// if p is no level, so that code tested with stock Go fails the same way.
func checkPriority(p Priority) {
	if p < Low || p > High {
		panic("sched: SetPriority(" + strconv.Itoa(int(p)) + "): priority out of range [Low (-1), High (1)]")
	}
}

// CurrentPriority returns Normal: stock Go has no priorities.
func CurrentPriority() Priority {
	return Normal
}

// SetMode accepts the default mode and reports ErrUnavailable for any
// other: stock Go has one scheduler.
func SetMode(mode Mode) (prev Mode, err error) {
	if mode != 0 {
		return 0, fmt.Errorf("%w: %v", ErrUnavailable, mode)
	}
	return 0, nil
}

// CurrentMode returns the default mode.
func CurrentMode() Mode {
	return 0
}
