package workload

import (
	"fmt"
	"testing"

	"schedx.example/bench/internal/pipeline"
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
	pipeline.Run(b, pipelineWorkers, buffer)
}
