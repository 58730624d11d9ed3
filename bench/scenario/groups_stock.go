//go:build !schedx_groups

package scenario

// HaveGroups reports whether the toolchain has goroutine groups; stock Go
// does not: NewGroup returns nil and JoinGroup does nothing, so the
// goroutines share the CPU as the scheduler shares it among goroutines.
const HaveGroups = false

// A Group is a goroutine group, or nil where groups do not exist.
type Group = *struct{}

// NewGroup returns nil on a toolchain without goroutine groups.
func NewGroup(name string, weight int, limit float64) Group { return nil }

// JoinGroup does nothing on a toolchain without goroutine groups.
func JoinGroup(g Group) {}
