//go:build schedx

package view

import (
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

const schedx = true

// stateReader reads the scheduler's state with runtime/debug.ReadSchedState,
// reusing its buffers.
type stateReader struct {
	st debug.SchedState
}

// groupCPU returns each live group's CPU time, in seconds, by group ID.
func (r *stateReader) groupCPU() map[uint64]float64 {
	debug.ReadSchedState(&r.st)
	m := make(map[uint64]float64, len(r.st.Groups))
	for _, g := range r.st.Groups {
		m[g.ID] = g.CPUTime.Seconds()
	}
	return m
}

// fill adds the scheduler's state to snap; shares are the groups' CPU
// shares in the last interval, by group ID.
func (r *stateReader) fill(snap *Snapshot, shares map[uint64]float64) {
	debug.ReadSchedState(&r.st)
	self := goid()
	st := &r.st
	snap.Mode = st.Mode.String()
	snap.GOMAXPROCS = st.GOMAXPROCS
	snap.NUMANodes = st.NUMANodes
	snap.Ps = make([]P, len(st.Ps))
	for i, p := range st.Ps {
		snap.Ps[i] = P{
			ID:        p.ID,
			Status:    p.Status.String(),
			Node:      p.Node,
			Goroutine: p.Goroutine,
			Level:     p.Priority.String(),
			Inherited: p.Inherited,
			Group:     p.Group,
			Queued:    queues(p.Queued),
			Viewer:    p.Goroutine == self,
		}
		if p.Goroutine == 0 {
			snap.Ps[i].Level = ""
		}
	}
	snap.Global = queues(st.Global)
	snap.Nodes = make([]Queues, len(st.Nodes))
	for i, q := range st.Nodes {
		snap.Nodes[i] = queues(q)
	}
	snap.Groups = make([]Group, len(st.Groups))
	for i, g := range st.Groups {
		snap.Groups[i] = Group{
			ID:         g.ID,
			Name:       g.Name,
			Weight:     g.Weight,
			CPULimit:   g.CPULimit,
			CPUSeconds: g.CPUTime.Seconds(),
			Share:      shares[g.ID],
			Queued:     g.Queued,
			Throttled:  g.Throttled,
		}
	}
	snap.Policy = Policy{
		Steals:       st.PolicySteals,
		Wakeups:      st.PolicyWakeups,
		Preemptions:  st.PolicyPreemptions,
		ModeSwitches: st.ModeSwitches,
	}
}

// goid returns the calling goroutine's ID, as goroutine dumps print it
// (the first line of its stack: "goroutine 17 [running]:").
func goid() uint64 {
	var buf [64]byte
	s := strings.TrimPrefix(string(buf[:runtime.Stack(buf[:], false)]), "goroutine ")
	if i := strings.IndexByte(s, ' '); i > 0 {
		id, _ := strconv.ParseUint(s[:i], 10, 64)
		return id
	}
	return 0
}

func queues(q debug.SchedQueues) Queues {
	return Queues{Low: q.Low, Normal: q.Normal, High: q.High}
}
