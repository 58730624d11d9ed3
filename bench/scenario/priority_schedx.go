//go:build schedx_priority

package scenario

import "runtime"

// HavePriorities reports whether the toolchain has goroutine priorities
// (runtime.SetGoroutinePriority). They act only when the scheduler mode
// includes them (GODEBUG=schedmode=priority); otherwise they are recorded
// and ignored, so the same benchmark measures the fork's default mode.
const HavePriorities = true

// Priority levels, as runtime.PriorityLow, PriorityNormal, PriorityHigh.
const (
	Low    = int(runtime.PriorityLow)
	Normal = int(runtime.PriorityNormal)
	High   = int(runtime.PriorityHigh)
)

// SetPriority sets the calling goroutine's priority and returns the
// previous one.
func SetPriority(p int) int { return int(runtime.SetGoroutinePriority(runtime.Priority(p))) }
