//go:build !schedx

package view

const schedx = false

// stateReader reads what stock Go knows of the scheduler: nothing beyond
// GOMAXPROCS and runtime/metrics, which the sampler reads.
type stateReader struct{}

// groupCPU returns nil: stock Go has no goroutine groups.
func (r *stateReader) groupCPU() map[uint64]float64 { return nil }

// fill leaves snap as the sampler made it: the default mode, no Ps,
// levels, nodes or groups.
func (r *stateReader) fill(snap *Snapshot, shares map[uint64]float64) {}
