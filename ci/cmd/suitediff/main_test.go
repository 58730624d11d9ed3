package main

import (
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	in := `# dist text is skipped
{"Action":"start","Package":"runtime"}
{"Action":"run","Package":"runtime","Test":"TestA"}
{"Action":"pass","Package":"runtime","Test":"TestA"}
{"Action":"fail","Package":"runtime","Test":"TestB"}
{"Action":"skip","Package":"runtime","Test":"TestC"}
{"Action":"fail","Package":"runtime"}
{"Action":"pass","Package":"sync"}
not json
`
	r, err := parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if p, f, s := r.count(); p != 2 || f != 2 || s != 1 {
		t.Errorf("count = %d pass, %d fail, %d skip; want 2, 2, 1", p, f, s)
	}
	if got, want := r.failed(), []string{"runtime", "runtime TestB"}; !slices.Equal(got, want) {
		t.Errorf("failed = %q, want %q", got, want)
	}
}

func TestCompare(t *testing.T) {
	fork := result{
		"runtime":                "pass",
		"runtime TestA":          "pass",
		"runtime TestFork":       "pass",
		"runtime TestFork/sub":   "pass",
		"errors TestAs/0x1":      "pass",
		"sync TestSkippedByBase": "pass",
		"sync TestFailed":        "fail",
	}
	base := result{
		"runtime":                "pass",
		"runtime TestA":          "pass",
		"errors TestAs/0x2":      "pass",
		"sync TestSkippedByBase": "skip",
		"sync TestFailed":        "skip",
	}
	if p, f, s := fork.countTests(); p != 5 || f != 1 || s != 0 {
		t.Errorf("countTests = %d pass, %d fail, %d skip; want 5, 1, 0", p, f, s)
	}
	if got, want := differ(fork, base), []string{"sync TestSkippedByBase"}; !slices.Equal(got, want) {
		t.Errorf("differ = %q, want %q", got, want)
	}
	if got, want := onlyIn(fork, base), []string{"errors 1", "runtime 2"}; !slices.Equal(got, want) {
		t.Errorf("onlyIn(fork, base) = %q, want %q", got, want)
	}
	if got, want := onlyIn(base, fork), []string{"errors 1"}; !slices.Equal(got, want) {
		t.Errorf("onlyIn(base, fork) = %q, want %q", got, want)
	}
}
