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

// A library runs its background work in a group of its own, limited to a
// quarter of the CPU where the toolchain and the mode (ModeFair) allow.
func ExampleNewGroup() {
	background := sched.NewGroup("background", 50)
	background.SetCPULimit(0.25) // recorded and ignored by stock Go
	done := make(chan bool)
	go func() {
		sched.SetGroup(background)
		// ... background work, and goroutines it starts ...
		done <- true
	}()
	<-done
	fmt.Println(background.Name(), background.Weight(), background.CPULimit())
	// Output: background 50 0.25
}
