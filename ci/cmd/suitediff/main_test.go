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
