// Package pipeline is the fan-out/fan-in goroutine pipeline that several
// benchmarks of bench/ run: a source sends items to workers, each hashes
// its item (about a microsecond of work) and sends the sum to a single
// collector.
package pipeline

import (
	"hash/fnv"
	"sync"
	"testing"
)

// Run sends b.N items through workers workers to one collector, timing
// from the first item. buffer is the capacity of both channels: 0 makes
// every hand-off a rendezvous. One operation is one item through all
// three stages.
func Run(b *testing.B, workers, buffer int) {
	var block [256]byte
	for i := range block {
		block[i] = byte(i)
	}
	in := make(chan int, buffer)
	out := make(chan uint64, buffer)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			h := fnv.New64a()
			for item := range in {
				h.Reset()
				for range 4 {
					h.Write(block[:])
				}
				out <- h.Sum64() + uint64(item)
			}
		})
	}
	done := make(chan uint64)
	go func() {
		var sum uint64
		for v := range out {
			sum += v
		}
		done <- sum
	}()

	b.ResetTimer()
	for i := range b.N {
		in <- i
	}
	close(in)
	wg.Wait()
	close(out)
	<-done
}
