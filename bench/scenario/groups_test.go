package scenario

import (
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// groupsRound is how long each round of BenchmarkGroups runs, and
// groupsWindow the windows in which it tracks the shares.
const (
	groupsRound  = time.Second
	groupsWindow = 100 * time.Millisecond
)

// BenchmarkGroups measures goroutine groups by the work CPU-bound
// goroutines do on the Procs Ps; each operation is one round of
// groupsRound. Work, not CPU time, so that stock Go, which has no groups,
// is measured the same way. In the fork's fair mode
// (GODEBUG=schedmode=fair) groups share the Ps by weight and a limited
// group is held to its limit; on stock Go and in the other modes every
// goroutine gets an equal share and nothing is limited.
//
//   - shares-3to1: groups of weights 300 and 100, 8 spinners each.
//     heavy-share-% is the weight-300 group's share of the work over the
//     round (75 in fair mode, 50 elsewhere), window-dev-pts the mean
//     distance of its share in each groupsWindow from 75.
//   - limit-0.25: 4 spinners in a group limited to 0.25 and nothing else:
//     used-% is their work as a percentage of what Procs spinners do alone
//     (25 in fair mode, 100 elsewhere), window-dev-pts the mean distance
//     of the windows' from 25.
func BenchmarkGroups(b *testing.B) {
	b.Run("shares-3to1", func(b *testing.B) {
		defer SetProcs()()
		heavy, light := NewGroup("heavy", 300, 0), NewGroup("light", 100, 0)
		var share, dev float64
		for range b.N {
			w := groupsRun([]groupSpec{{heavy, 8}, {light, 8}})
			share += 100 * w.total[0] / (w.total[0] + w.total[1])
			var d float64
			for _, win := range w.windows {
				d += math.Abs(100*win[0]/(win[0]+win[1]) - 75)
			}
			dev += d / float64(len(w.windows))
		}
		b.ReportMetric(share/float64(b.N), "heavy-share-%")
		b.ReportMetric(dev/float64(b.N), "window-dev-pts")
	})
	b.Run("limit-0.25", func(b *testing.B) {
		defer SetProcs()()
		limited := NewGroup("limited", 100, 0.25)
		var used, dev float64
		for range b.N {
			full := groupsRun([]groupSpec{{nil, Procs}})
			w := groupsRun([]groupSpec{{limited, 4}})
			used += 100 * w.total[0] / full.total[0]
			perWindow := full.total[0] / float64(len(full.windows))
			var d float64
			for _, win := range w.windows {
				d += math.Abs(100*win[0]/perWindow - 25)
			}
			dev += d / float64(len(w.windows))
		}
		b.ReportMetric(used/float64(b.N), "used-%")
		b.ReportMetric(dev/float64(b.N), "window-dev-pts")
	})
}

// A groupSpec is n spinners in group g (nil: the caller's).
type groupSpec struct {
	g Group
	n int
}

// groupWork is the units of work of each spec of a round, in total and
// per window.
type groupWork struct {
	total   []float64
	windows [][]float64
}

// groupsRun runs the specs' spinners for groupsRound and returns the work
// they did. The first window starts once every spinner is in its group.
func groupsRun(specs []groupSpec) groupWork {
	var stop atomic.Bool
	var wg, ready sync.WaitGroup
	counts := make([]atomic.Uint64, len(specs))
	for i, s := range specs {
		for range s.n {
			ready.Add(1)
			wg.Go(func() {
				if s.g != nil {
					JoinGroup(s.g)
				}
				ready.Done()
				x := uint64(1)
				for !stop.Load() {
					x = spin(x)
					counts[i].Add(1)
				}
				sink.Add(x)
			})
		}
	}
	ready.Wait()
	load := func() []float64 {
		v := make([]float64, len(specs))
		for i := range counts {
			v[i] = float64(counts[i].Load())
		}
		return v
	}
	var w groupWork
	start := load()
	prev := start
	for range groupsRound / groupsWindow {
		time.Sleep(groupsWindow)
		cur := load()
		win := make([]float64, len(specs))
		for i := range cur {
			win[i] = cur[i] - prev[i]
		}
		w.windows = append(w.windows, win)
		prev = cur
	}
	stop.Store(true)
	wg.Wait()
	w.total = make([]float64, len(specs))
	for i := range prev {
		w.total[i] = prev[i] - start[i]
	}
	return w
}
