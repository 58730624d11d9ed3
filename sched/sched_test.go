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
	} {
		got, err := sched.ParseMode(tt.s)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseMode(%q) = %v, %v; want %v, ok=%v", tt.s, got, err, tt.want, tt.ok)
		}
		if tt.ok && got.String() != map[sched.Mode]string{0: "default", 1: "priority", 3: "priority+numa"}[got] {
			t.Errorf("%v.String() = %q", got, got.String())
		}
	}
}
