package scenario

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// floorRound is how long each half of a BenchmarkFloorShare round runs.
const floorRound = 250 * time.Millisecond

// BenchmarkFloorShare measures the share of the CPU that Low goroutines
// keep while High goroutines saturate the Procs Ps: each operation is one
// round, the Low spinners alone for floorRound, then beside the High
// spinners for floorRound, and low-share-% is the mean over the rounds of
// their work rate beside the High spinners as a percentage of their rate
// alone. In the fork's priority mode a lower level keeps 1ms of every
// 21ms of each P on which it waits (about 5%); on stock Go and in the
// fork's default mode the levels do not exist and every spinner gets its
// fair share.
//
//   - 2high-1low: two High spinners, one Low one.
//   - 4high-2low: four High spinners, two Low ones.
func BenchmarkFloorShare(b *testing.B) {
	b.Run("2high-1low", func(b *testing.B) { benchFloorShare(b, 2, 1) })
	b.Run("4high-2low", func(b *testing.B) { benchFloorShare(b, 4, 2) })
}

func benchFloorShare(b *testing.B, high, low int) {
	defer SetProcs()()
	// The caller must run to end each half: High, like the spinners
	// that would otherwise keep it waiting.
	defer SetPriority(SetPriority(High))
	var sum float64
	for range b.N {
		alone := floorLowRate(0, low)
		loaded := floorLowRate(high, low)
		sum += 100 * loaded / alone
	}
	b.ReportMetric(sum/float64(b.N), "low-share-%")
}

// floorLowRate runs high High and low Low spinners for floorRound and
// returns the Low spinners' units of work per second.
func floorLowRate(high, low int) float64 {
	var stop atomic.Bool
	var wg sync.WaitGroup
	var units atomic.Uint64
	run := func(p int, count *atomic.Uint64) {
		wg.Go(func() {
			SetPriority(p)
			x := uint64(1)
			for !stop.Load() {
				x = spin(x)
				if count != nil {
					count.Add(1)
				}
			}
			sink.Add(x)
		})
	}
	for range high {
		run(High, nil)
	}
	for range low {
		run(Low, &units)
	}
	time.Sleep(floorRound)
	stop.Store(true)
	wg.Wait()
	return float64(units.Load()) / floorRound.Seconds()
}
