package workload

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
)

// The live heap of BenchmarkGCChurn: churnSlots chains of churnChainLen
// nodes of 64 bytes, 32 MiB and half a million pointerful objects that
// every GC cycle must mark.
const (
	churnSlots    = 1 << 15
	churnChainLen = 16
)

// churnNode is one 64-byte heap object with a pointer, so the collector has
// to scan it.
type churnNode struct {
	next    *churnNode
	payload [7]uint64
}

var (
	churnHeapOnce sync.Once
	churnHeap     []atomic.Pointer[churnNode]
)

// newChurnChain allocates a chain of churnChainLen nodes.
func newChurnChain(seed uint64) *churnNode {
	var head *churnNode
	for i := range churnChainLen {
		head = &churnNode{next: head}
		head.payload[0] = seed + uint64(i)
	}
	return head
}

// liveChurnHeap returns the shared live heap, building it on first use.
func liveChurnHeap() []atomic.Pointer[churnNode] {
	churnHeapOnce.Do(func() {
		churnHeap = make([]atomic.Pointer[churnNode], churnSlots)
		for i := range churnHeap {
			churnHeap[i].Store(newChurnChain(uint64(i)))
		}
	})
	return churnHeap
}

// BenchmarkGCChurn measures allocation over a large live heap: each
// operation allocates a 1 KiB chain of 16 objects and replaces a random
// chain of the 32 MiB live heap with it, on every P at once. The garbage
// collector runs every few thousand operations; its cost (background
// workers, which the scheduler places, and assists) is part of ns/op.
func BenchmarkGCChurn(b *testing.B) {
	heap := liveChurnHeap()
	var seed atomic.Uint64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		rng := rand.New(rand.NewPCG(seed.Add(1), 0x5eed))
		for pb.Next() {
			heap[rng.IntN(len(heap))].Store(newChurnChain(rng.Uint64()))
		}
	})
}
