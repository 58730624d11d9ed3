package sched_test

import (
	"errors"
	"testing"

	"schedx.example/sched"
)

func TestPriority(t *testing.T) {
	done := make(chan [2]sched.Priority)
	go func() {
		sched.SetPriority(sched.High)
		go func() {
			done <- [2]sched.Priority{sched.CurrentPriority(), sched.SetPriority(sched.Low)}
		}()
	}()
	got := <-done
	want := [2]sched.Priority{sched.Normal, sched.Normal}
	if sched.Available() {
		want = [2]sched.Priority{sched.High, sched.High} // inherited
	}
	if got != want {
		t.Errorf("Available()=%v: child's priority and SetPriority's result %v, want %v", sched.Available(), got, want)
	}
	for _, p := range []sched.Priority{-2, 2} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SetPriority(%d) did not panic", p)
				}
			}()
			sched.SetPriority(p)
		}()
	}
}

func TestMode(t *testing.T) {
	start := sched.CurrentMode()
	prev, err := sched.SetMode(sched.ModePriority)
	switch {
	case sched.Available():
		if err != nil || prev != start || sched.CurrentMode() != sched.ModePriority {
			t.Errorf("SetMode(priority) = %v, %v; mode now %v", prev, err, sched.CurrentMode())
		}
		sched.SetMode(start)
	case !errors.Is(err, sched.ErrUnavailable) || sched.CurrentMode() != 0:
		t.Errorf("stock Go: SetMode(priority) = %v, %v; want ErrUnavailable, mode default", prev, err)
	}
	if _, err := sched.SetMode(0x80); !errors.Is(err, sched.ErrUnavailable) {
		t.Errorf("SetMode(0x80) = %v, want ErrUnavailable", err)
	}
	if _, err := sched.SetMode(start); err != nil {
		t.Errorf("SetMode(%v) (the starting mode) = %v", start, err)
	}
}

func TestParseMode(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want sched.Mode
		ok   bool
	}{
		{"default", 0, true}, {"", 0, true}, {"priority", sched.ModePriority, true},
		{"numa+priority", sched.ModePriority | sched.ModeNUMA, true}, {"fifo", 0, false}, {"priority+", 0, false},
		{"fair+priority", sched.ModePriority | sched.ModeFair, true},
	} {
		got, err := sched.ParseMode(tt.s)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseMode(%q) = %v, %v; want %v, ok=%v", tt.s, got, err, tt.want, tt.ok)
		}
		if tt.ok && got.String() != map[sched.Mode]string{0: "default", 1: "priority", 3: "priority+numa", 5: "priority+fair"}[got] {
			t.Errorf("%v.String() = %q", got, got.String())
		}
	}
}

func TestGroup(t *testing.T) {
	g := sched.NewGroup("batch", 50)
	if g.Name() != "batch" || g.Weight() != 50 || g.CPULimit() != 0 {
		t.Errorf("new group: %q weight %d limit %v", g.Name(), g.Weight(), g.CPULimit())
	}
	if prev := g.SetWeight(200); prev != 50 || g.Weight() != 200 {
		t.Errorf("SetWeight(200) = %d; weight now %d", prev, g.Weight())
	}
	if prev := g.SetCPULimit(0.25); prev != 0 || g.CPULimit() != 0.25 {
		t.Errorf("SetCPULimit(0.25) = %v; limit now %v", prev, g.CPULimit())
	}
	g.SetCPULimit(0)
	done := make(chan [2]*sched.Group)
	go func() {
		prev := sched.SetGroup(g)
		go func() { done <- [2]*sched.Group{prev, sched.CurrentGroup()} }()
	}()
	got := <-done
	want := [2]*sched.Group{nil, nil}
	if sched.Available() {
		want[1] = g // inherited by the go statement
	}
	if got != want {
		t.Errorf("Available()=%v: SetGroup's result and the child's group %v, want %v", sched.Available(), got, want)
	}
	if c := sched.GoroutineCPUTime(); c < 0 || !sched.Available() && c != 0 {
		t.Errorf("Available()=%v: GoroutineCPUTime() = %d", sched.Available(), c)
	}
	// Bad input panics with either toolchain.
	for name, f := range map[string]func(){
		"NewGroup weight 0":  func() { sched.NewGroup("bad", 0) },
		"SetWeight(10001)":   func() { g.SetWeight(10001) },
		"SetCPULimit(1.5)":   func() { g.SetCPULimit(1.5) },
		"SetCPULimit(-0.1)":  func() { g.SetCPULimit(-0.1) },
		"nil group's Weight": func() { (*sched.Group)(nil).Weight() },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
}
