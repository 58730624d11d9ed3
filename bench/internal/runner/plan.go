package runner

// A Unit is one process run of a suite: a test binary with one benchmark
// selection, or one go build.
type Unit struct {
	Suite Suite
	// Bench is the -test.bench regexp (empty for GoBuild suites).
	Bench string
	// Benchtime is the -test.benchtime (empty for GoBuild suites).
	Benchtime string
}

// Units returns the process runs of one round over suites, in order. In a
// short round, each selection uses its Short pattern and the suite's
// ShortBenchtime, and selections without a Short pattern are left out.
// benchtime overrides the suites' benchtimes: a value for the suite's name,
// else one for "" (all suites). A non-empty bench replaces each test-binary
// suite's selections with one run of that -test.bench regexp (go build
// suites have no selection and keep their one run).
func Units(suites []Suite, short bool, benchtime map[string]string, bench string) []Unit {
	var units []Unit
	for _, s := range suites {
		if s.Kind == GoBuild {
			units = append(units, Unit{Suite: s})
			continue
		}
		bt := s.Benchtime
		if short {
			bt = s.ShortBenchtime
		}
		if v, ok := benchtime[""]; ok {
			bt = v
		}
		if v, ok := benchtime[s.Name]; ok {
			bt = v
		}
		if bench != "" {
			units = append(units, Unit{Suite: s, Bench: bench, Benchtime: bt})
			continue
		}
		for _, sel := range s.Selections {
			bench := sel.Bench
			if short {
				bench = sel.Short
			}
			if bench == "" {
				continue
			}
			units = append(units, Unit{Suite: s, Bench: bench, Benchtime: bt})
		}
	}
	return units
}

// A Step is one run in the plan: unit Unit under configuration Config in
// round Round (indices from 0).
type Step struct {
	Round, Unit, Config int
}

// Interleave returns the order of runs for rounds rounds of units units
// under configs configurations. Each round runs every unit under every
// configuration, unit after unit, so that the configurations of one unit
// run back to back (A B A B ...) and slow drift of the machine hits all of
// them alike. The configuration order rotates by one each round (A B C,
// B C A, C A B, ...) so that no configuration always runs first, right
// after another unit, or last.
func Interleave(rounds, units, configs int) []Step {
	steps := make([]Step, 0, rounds*units*configs)
	for r := range rounds {
		for u := range units {
			for i := range configs {
				steps = append(steps, Step{Round: r, Unit: u, Config: (r + i) % configs})
			}
		}
	}
	return steps
}
