package scenario

import (
	"runtime"
	"sync"
	"testing"
)

func TestSaturateRunsAndStops(t *testing.T) {
	var mu sync.Mutex
	seen := map[int]bool{}
	all := make(chan struct{})
	sat := Saturate(3, func(worker int) {
		mu.Lock()
		defer mu.Unlock()
		if !seen[worker] {
			seen[worker] = true
			if len(seen) == 3 {
				close(all)
			}
		}
	})
	<-all
	sat.Stop()
	for w := range 3 {
		if !seen[w] {
			t.Errorf("worker %d never called onSpin", w)
		}
	}
}

func TestSetProcsRestores(t *testing.T) {
	prev := runtime.GOMAXPROCS(0)
	restore := SetProcs()
	if got := runtime.GOMAXPROCS(0); got != Procs {
		t.Errorf("GOMAXPROCS after SetProcs = %d, want %d", got, Procs)
	}
	restore()
	if got := runtime.GOMAXPROCS(0); got != prev {
		t.Errorf("GOMAXPROCS after restore = %d, want %d", got, prev)
	}
}
