//go:build !schedx_priority

package scenario

// HavePriorities reports whether the toolchain has goroutine priorities;
// stock Go does not, and SetPriority does nothing.
const HavePriorities = false

// Priority levels, as the fork's runtime.PriorityLow, PriorityNormal,
// PriorityHigh.
const (
	Low    = -1
	Normal = 0
	High   = 1
)

// SetPriority does nothing on a toolchain without goroutine priorities.
func SetPriority(p int) int { return Normal }
