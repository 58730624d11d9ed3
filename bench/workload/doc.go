// Package workload holds application-shaped benchmarks written for schedx:
// allocation churn over a large live heap, an HTTP server on loopback, JSON
// encoding and decoding, and a fan-out/fan-in goroutine pipeline. They
// exercise the scheduler the way services do (GC workers and assists,
// network polling, channel hand-offs) rather than one mechanism at a time.
//
// The benchmarks are in the _test.go files; schedbench compiles them with
// each toolchain it compares ("go test -c") and runs them interleaved.
// They use only the standard library, so every toolchain builds them.
package workload
