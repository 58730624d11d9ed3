// Package sched offers the schedx scheduler API to code that must also
// build with stock Go.
//
// Built by a schedx toolchain (which sets the build tag schedx), each call
// is the fork's: SetPriority is runtime.SetGoroutinePriority, SetMode is
// runtime/debug.SetSchedulerMode, Group is runtime.SchedGroup, and so on.
// Built by stock Go, the same calls compile and do nothing harmful:
// priorities are checked and ignored (CurrentPriority reports Normal,
// since stock Go has no per-goroutine storage to keep them in), groups
// keep their name, weight and limit and schedule nothing (CurrentGroup
// reports the root group, CPU times are 0), CurrentMode reports the
// default mode, and SetMode reports ErrUnavailable for any mode but the
// default. A library can therefore set priorities and groups
// unconditionally.
//
// Use it from a module with a replace line naming this directory:
//
//	require schedx.example/sched v0.0.0
//	replace schedx.example/sched => /path/to/schedx/sched
package sched

import (
	"errors"
	"strconv"
	"strings"
)

// A Priority is a goroutine's scheduling priority level.
type Priority int

// The priority levels. They act while the scheduler mode includes
// ModePriority; in any other mode they are recorded and ignored.
const (
	// Low is for work that may wait: batch jobs, background computation.
	Low Priority = -1
	// Normal is every goroutine's priority unless set otherwise.
	Normal Priority = 0
	// High is for latency-sensitive work: request handling, heartbeats.
	High Priority = 1
)

// String returns "low", "normal" or "high", and "Priority(N)" for a
// value that is no level.
func (p Priority) String() string {
	switch p {
	case Low:
		return "low"
	case Normal:
		return "normal"
	case High:
		return "high"
	}
	return "Priority(" + strconv.Itoa(int(p)) + ")"
}

// A Mode is a set of scheduler policies; the zero value is the upstream
// Go scheduler.
type Mode uint32

// The policies.
const (
	// ModePriority schedules goroutines by their Priority.
	ModePriority Mode = 1 << iota
	// ModeNUMA keeps goroutines on their home NUMA node.
	ModeNUMA
	// ModeFair shares the CPU among goroutine groups by weight and
	// holds limited groups to their CPU limits.
	ModeFair
)

var modeNames = []struct {
	bit  Mode
	name string
}{
	{ModePriority, "priority"},
	{ModeNUMA, "numa"},
	{ModeFair, "fair"},
}

// String returns the mode in the syntax of GODEBUG=schedmode: "default",
// or policy names joined by '+'.
func (m Mode) String() string {
	if m == 0 {
		return "default"
	}
	var names []string
	for _, n := range modeNames {
		if m&n.bit != 0 {
			names = append(names, n.name)
			m &^= n.bit
		}
	}
	if m != 0 {
		names = append(names, "0x"+strconv.FormatUint(uint64(m), 16))
	}
	return strings.Join(names, "+")
}

// ParseMode parses s in the syntax of String and GODEBUG=schedmode.
func ParseMode(s string) (Mode, error) {
	if s == "" || s == "default" {
		return 0, nil
	}
	var m Mode
	for name := range strings.SplitSeq(s, "+") {
		bit := Mode(0)
		for _, n := range modeNames {
			if n.name == name {
				bit = n.bit
			}
		}
		if bit == 0 {
			return 0, errors.New("sched: unknown scheduler mode " + strconv.Quote(s) + " (want default, or policy names joined by '+': priority, numa, fair)")
		}
		m |= bit
	}
	return m, nil
}

// ErrUnavailable is the error of SetMode for a mode this toolchain
// does not have: any mode but the default on stock Go.
var ErrUnavailable = errors.New("sched: scheduler mode not available with this toolchain")

// Available reports whether the program was built by a schedx toolchain,
// so that priorities and modes act.
func Available() bool { return available }
