package workload

import (
	"fmt"
	"hash/fnv"
	"sync"
	"testing"
)

// pipelineWorkers is the fan-out width of BenchmarkPipeline: more workers
// than Ps, so hand-offs go through run queues.
const pipelineWorkers = 8

// BenchmarkPipeline measures a fan-out/fan-in goroutine pipeline: a source
// sends b.N items to pipelineWorkers workers, each hashes its item (about
// a microsecond of work) and sends the sum to a single collector. One
// operation is one item through all three stages. buffer is the capacity
// of both channels: 0 makes every hand-off a rendezvous.
func BenchmarkPipeline(b *testing.B) {
	for _, buffer := range []int{0, 64} {
		b.Run(fmt.Sprintf("buffer=%d", buffer), func(b *testing.B) {
			runPipeline(b, buffer)
		})
	}
}

func runPipeline(b *testing.B, buffer int) {
	var block [256]byte
	for i := range block {
		block[i] = byte(i)
	}
	in := make(chan int, buffer)
	out := make(chan uint64, buffer)
	var workers sync.WaitGroup
	for range pipelineWorkers {
		workers.Go(func() {
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
	workers.Wait()
	close(out)
	<-done
}
