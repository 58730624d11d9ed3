//go:build !schedx

package sched

import (
	"fmt"
	"math"
	"strconv"
	"sync/atomic"
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

// A Group is a goroutine group. Stock Go has none: a Group keeps its name,
// weight and CPU limit, checked as the fork checks them, and schedules
// nothing; its CPU time is 0.
type Group struct {
	name   string
	weight atomic.Int32
	limit  atomic.Uint64 // math.Float64bits
}

// NewGroup returns a group that schedules nothing. It panics if weight is
// not in [1, 10000], as the fork does.
func NewGroup(name string, weight int) *Group {
	checkWeight("NewGroup", weight)
	g := &Group{name: name}
	g.weight.Store(int32(weight))
	return g
}

func checkWeight(fn string, w int) {
	if w < 1 || w > 10000 {
		panic("sched: " + fn + ": weight " + strconv.Itoa(w) + " out of range [1, 10000]")
	}
}

func (g *Group) check(fn string) {
	if g == nil {
		panic("sched: " + fn + " of nil *Group (the root group has no methods)")
	}
}

// Name returns the group's name.
func (g *Group) Name() string { g.check("Name"); return g.name }

// Weight returns the group's weight.
func (g *Group) Weight() int { g.check("Weight"); return int(g.weight.Load()) }

// SetWeight sets the group's weight and returns the previous one. It
// panics if w is not in [1, 10000].
func (g *Group) SetWeight(w int) int {
	g.check("SetWeight")
	checkWeight("SetWeight", w)
	return int(g.weight.Swap(int32(w)))
}

// CPULimit returns the group's CPU limit (0: none).
func (g *Group) CPULimit() float64 {
	g.check("CPULimit")
	return math.Float64frombits(g.limit.Load())
}

// SetCPULimit records the group's CPU limit, a fraction of GOMAXPROCS' CPU
// time (0: none), and returns the previous one. It panics if fraction is
// not in [0, 1].
func (g *Group) SetCPULimit(fraction float64) float64 {
	g.check("SetCPULimit")
	if !(fraction >= 0 && fraction <= 1) {
		panic("sched: SetCPULimit: fraction " + strconv.FormatFloat(fraction, 'g', -1, 64) + " out of range [0, 1] (0: no limit)")
	}
	return math.Float64frombits(g.limit.Swap(math.Float64bits(fraction)))
}

// CPUTime returns 0: stock Go keeps no CPU time per goroutine.
func (g *Group) CPUTime() int64 { g.check("CPUTime"); return 0 }

// SetGroup returns nil (the root group) and changes nothing: stock Go has
// no per-goroutine storage to keep the group in.
func SetGroup(g *Group) *Group { return nil }

// CurrentGroup returns nil, the root group.
func CurrentGroup() *Group { return nil }

// GoroutineCPUTime returns 0: stock Go keeps no CPU time per goroutine.
func GoroutineCPUTime() int64 { return 0 }
