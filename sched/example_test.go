package sched_test

import (
	"fmt"

	"schedx.example/sched"
)

// A library marks its background work Low whatever toolchain builds it.
func ExampleSetPriority() {
	done := make(chan bool)
	go func() {
		sched.SetPriority(sched.Low) // ignored by stock Go
		// ... background work ...
		done <- true
	}()
	<-done
	fmt.Println(sched.Low, sched.Normal, sched.High)
	// Output: low normal high
}
