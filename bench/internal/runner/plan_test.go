package runner

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestInterleaveOrder(t *testing.T) {
	// Two configurations, two units, three rounds: A B for each unit, the
	// order rotating by round (A B, B A, A B).
	var got []string
	for _, s := range Interleave(3, 2, 2) {
		got = append(got, fmt.Sprintf("r%d u%d %c", s.Round, s.Unit, 'A'+s.Config))
	}
	want := []string{
		"r0 u0 A", "r0 u0 B", "r0 u1 A", "r0 u1 B",
		"r1 u0 B", "r1 u0 A", "r1 u1 B", "r1 u1 A",
		"r2 u0 A", "r2 u0 B", "r2 u1 A", "r2 u1 B",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Interleave(3, 2, 2) =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestInterleaveBalance(t *testing.T) {
	// Over as many rounds as configurations, each configuration runs each
	// unit once in every position, and every round runs every unit under
	// every configuration exactly once.
	const rounds, units, configs = 3, 4, 3
	steps := Interleave(rounds, units, configs)
	if len(steps) != rounds*units*configs {
		t.Fatalf("%d steps, want %d", len(steps), rounds*units*configs)
	}
	seen := map[Step]bool{}
	position := map[[2]int]map[int]bool{} // (unit, config) -> positions within the unit's group
	for i, s := range steps {
		if seen[s] {
			t.Errorf("step %+v twice", s)
		}
		seen[s] = true
		k := [2]int{s.Unit, s.Config}
		if position[k] == nil {
			position[k] = map[int]bool{}
		}
		position[k][i%configs] = true
	}
	for k, pos := range position {
		if len(pos) != configs {
			t.Errorf("unit %d config %d ran in positions %v, want all %d", k[0], k[1], pos, configs)
		}
	}
}

func TestUnits(t *testing.T) {
	suites, err := SelectSuites("runtime,compile")
	if err != nil {
		t.Fatal(err)
	}
	full := Units(suites, false, nil, "")
	if len(full) != 3 {
		t.Fatalf("full units %+v, want runtime's two selections and compile", full)
	}
	if full[0].Benchtime != "200ms" || full[2].Suite.Name != "compile" || full[2].Bench != "" {
		t.Errorf("full units %+v", full)
	}
	short := Units(suites, true, nil, "")
	if len(short) != 2 || short[0].Bench != suites[0].Selections[0].Short || short[0].Benchtime != "50ms" {
		t.Errorf("short units %+v, want runtime's short selection at 50ms and compile", short)
	}
	over := Units(suites, false, map[string]string{"": "1s", "runtime": "10x"}, "")
	if over[0].Benchtime != "10x" {
		t.Errorf("benchtime override: %q, want the suite's 10x over the general 1s", over[0].Benchtime)
	}
	one := Units(suites, true, nil, "^BenchmarkCreateGoroutines$")
	if len(one) != 2 || one[0].Bench != "^BenchmarkCreateGoroutines$" || one[0].Benchtime != "50ms" || one[1].Suite.Name != "compile" || one[1].Bench != "" {
		t.Errorf("-bench units %+v, want one runtime run of the given regexp at the short 50ms, and compile", one)
	}
}

func TestSelectSuites(t *testing.T) {
	s, err := SelectSuites("scenario,upstream")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, x := range s {
		names = append(names, x.Name)
	}
	if want := []string{"runtime", "sync", "time", "context", "scenario"}; !slices.Equal(names, want) {
		t.Errorf("SelectSuites(scenario,upstream) = %v, want %v (in run order)", names, want)
	}
	if _, err := SelectSuites("runtime,sched"); err == nil || !strings.Contains(err.Error(), `"sched"`) {
		t.Errorf("SelectSuites with unknown suite: error %v, want one naming \"sched\"", err)
	}
}

func TestGateSuitesLeaveOutScenarios(t *testing.T) {
	g := GateSuites()
	if slices.Contains(g, "scenario") || !slices.Contains(g, "runtime") || !slices.Contains(g, "app") {
		t.Errorf("GateSuites() = %v, want the throughput suites and not scenario", g)
	}
}
