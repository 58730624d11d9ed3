//go:build schedx_groups

package scenario

import "runtime"

// HaveGroups reports whether the toolchain has goroutine groups
// (runtime.NewSchedGroup). Weights and limits act only when the scheduler
// mode includes them (GODEBUG=schedmode=fair); otherwise groups only keep
// CPU time, so the same benchmark measures the fork's default mode.
const HaveGroups = true

// A Group is a goroutine group, or nil where groups do not exist.
type Group = *runtime.SchedGroup

// NewGroup returns a group of the given weight (1..10000; the root
// group's is 100) limited to the fraction limit of GOMAXPROCS' CPU time
// (0: no limit).
func NewGroup(name string, weight int, limit float64) Group {
	g := runtime.NewSchedGroup(name, weight)
	g.SetCPULimit(limit)
	return g
}

// JoinGroup moves the calling goroutine into g.
func JoinGroup(g Group) { runtime.SetGoroutineGroup(g) }
