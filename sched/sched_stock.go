//go:build !schedx

package sched

import "fmt"

const available = false

// SetPriority checks p and ignores it: stock Go has no priorities. It
// returns Normal. It panics if p is no level, as the fork does.
func SetPriority(p Priority) Priority {
	checkPriority(p)
	return Normal
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
