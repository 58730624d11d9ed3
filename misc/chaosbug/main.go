// Chaosbug is a connection pool with a logic race that no data race
// detector reports, and the schedule exploration (GODEBUG=schedchaos)
// that finds it. Each run borrows connections from a pool of 2 with 4
// workers and exits with status 1 if the pool ever had more than 2 open.
//
// The race: Get checks the count of open connections, dials, and only
// then counts the new one, all with atomics. Two workers can both pass
// the check. Under the default scheduler with one processor the workers
// run one after another and it never shows; under schedchaos it shows
// within a few seeds:
//
//	go build -gcflags=schedx.example/misc/chaosbug=-d=probes=entry -o /tmp/chaosbug ./chaosbug
//	for s in $(seq 100); do GOMAXPROCS=1 GODEBUG=schedchaos=$s /tmp/chaosbug || break; done
//
// The failing run prints its seed; running it again with that seed fails
// the same way. main_test.go does this.
package main

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

// Pool hands out at most max connections.
type Pool struct {
	max  int32
	open atomic.Int32
	peak atomic.Int32
}

// Conn is a pooled connection.
type Conn struct{ id int32 }

var errExhausted = errors.New("pool exhausted")

// Get returns a new connection, or errExhausted if max are open.
func (p *Pool) Get() (*Conn, error) {
	if p.open.Load() >= p.max { // check ...
		return nil, errExhausted
	}
	c := dial()        // ... work ...
	n := p.open.Add(1) // ... act: another Get may have passed the check meanwhile
	for {
		peak := p.peak.Load()
		if n <= peak || p.peak.CompareAndSwap(peak, n) {
			break
		}
	}
	return c, nil
}

// Put closes c.
func (p *Pool) Put(c *Conn) { p.open.Add(-1) }

var dials atomic.Int32

// dial stands for opening a connection.
//
//go:noinline
func dial() *Conn { return &Conn{id: dials.Add(1)} }

// use stands for the work done with a connection: a request and its
// reply (real work is too large to be inlined).
//
//go:noinline
func use(c *Conn) {
	reply := fmt.Sprintf("conn %d: ok", c.id)
	sink += len(reply)
}

var sink int

func main() {
	p := &Pool{max: 1}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				c, err := p.Get()
				if err != nil {
					continue
				}
				use(c)
				p.Put(c)
			}
		}()
	}
	wg.Wait()
	if peak := p.peak.Load(); peak > p.max {
		fmt.Printf("pool of %d had %d connections open\n", p.max, peak)
		os.Exit(1)
	}
	fmt.Println("ok")
}
