package main

import (
	"strings"
	"testing"
)

func TestParseBenchtime(t *testing.T) {
	m, err := parseBenchtime("1s,scenario=500x,upstream=100ms")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"": "1s", "scenario": "500x", "runtime": "100ms", "sync": "100ms", "time": "100ms", "context": "100ms"}
	if len(m) != len(want) {
		t.Errorf("parseBenchtime = %v, want %v", m, want)
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("parseBenchtime: %q = %q, want %q", k, m[k], v)
		}
	}
	for in, bad := range map[string]string{
		"scenario=5y": `"5y"`,
		"sched=1s":    `"sched"`,
		"0x":          `"0x"`,
	} {
		if _, err := parseBenchtime(in); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("parseBenchtime(%q): error %v, want one naming %s", in, err, bad)
		}
	}
}

func TestQuoteArgs(t *testing.T) {
	got := quoteArgs([]string{"-config", "fork=../go,GODEBUG=schedmode=priority", "-report", "a b.md", "it's"})
	want := `-config fork=../go,GODEBUG=schedmode=priority -report 'a b.md' 'it'\''s'`
	if got != want {
		t.Errorf("quoteArgs = %s, want %s", got, want)
	}
}
