package runconfig

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	wd, _ := os.Getwd()
	for _, tc := range []struct {
		spec string
		want Config
		mode string
	}{
		{"stock=/usr/local/go", Config{Name: "stock", GOROOT: "/usr/local/go"}, "default"},
		{"fork=../go", Config{Name: "fork", GOROOT: filepath.Join(filepath.Dir(wd), "go")}, "default"},
		{"fork-prio=/g,GODEBUG=schedmode=priority", Config{Name: "fork-prio", GOROOT: "/g", Env: []string{"GODEBUG=schedmode=priority"}}, "priority"},
		{"f.2=/g,GODEBUG=schedmode=priority+numa,asyncpreemptoff=1,GOGC=200",
			Config{Name: "f.2", GOROOT: "/g", Env: []string{"GODEBUG=schedmode=priority+numa,asyncpreemptoff=1", "GOGC=200"}}, "priority+numa"},
		{"x=/g,GODEBUG=asyncpreemptoff=1", Config{Name: "x", GOROOT: "/g", Env: []string{"GODEBUG=asyncpreemptoff=1"}}, "default"},
	} {
		got, err := Parse(tc.spec)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.spec, err)
			continue
		}
		if got.Name != tc.want.Name || got.GOROOT != tc.want.GOROOT || !slices.Equal(got.Env, tc.want.Env) {
			t.Errorf("Parse(%q) = %+v, want %+v", tc.spec, got, tc.want)
		}
		if m := got.Mode(); m != tc.mode {
			t.Errorf("Parse(%q).Mode() = %q, want %q", tc.spec, m, tc.mode)
		}
	}
}

func TestParseErrorsNameTheBadValue(t *testing.T) {
	for spec, want := range map[string]string{
		"stock":                      `"stock"`,
		"=/usr/local/go":             `name ""`,
		"st ock=/usr/local/go":       `name "st ock"`,
		"fork=":                      "empty GOROOT",
		"fork=GODEBUG=schedmode=x":   `"GODEBUG=schedmode=x" looks like a setting`,
		"fork=/g,schedmode=priority": `"schedmode=priority" is not a VAR=VALUE setting`,
		"fork=/g,GOGC=1,GOGC=2":      "GOGC is set twice",
		"fork=/g,GOROOT=/h":          "GOROOT cannot be set",
	} {
		_, err := Parse(spec)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q): error %v, want one containing %s", spec, err, want)
		}
	}
}

func TestParseListRejectsDuplicateNames(t *testing.T) {
	_, err := ParseList([]string{"a=/x", "b=/x", "a=/y"})
	if err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Errorf("ParseList with a duplicate: error %v, want one naming \"a\"", err)
	}
}

func TestKeys(t *testing.T) {
	c := Config{Name: "fork-prio", GOROOT: "/g", GoVersion: "go1.26.8-schedx.1", Commit: "abc", Env: []string{"GODEBUG=schedmode=priority", "GOGC=200"}}
	var got []string
	for _, k := range c.Keys() {
		got = append(got, k.Name+": "+k.Value)
	}
	want := []string{"config: fork-prio", "toolchain: /g", "goversion: go1.26.8-schedx.1", "commit: abc", "mode: priority", "env: GODEBUG=schedmode=priority GOGC=200"}
	if !slices.Equal(got, want) {
		t.Errorf("Keys() = %q, want %q", got, want)
	}
}

func TestResolve(t *testing.T) {
	root := t.TempDir()
	c := Config{Name: "x", GOROOT: root}
	if err := c.Resolve(); err == nil || !strings.Contains(err.Error(), root) {
		t.Errorf("Resolve of an empty dir: error %v, want one naming %s", err, root)
	}
	os.MkdirAll(filepath.Join(root, "bin"), 0o777)
	os.WriteFile(filepath.Join(root, "bin", "go"), nil, 0o777)
	os.WriteFile(filepath.Join(root, "VERSION"), []byte("go1.26.8-schedx.1\ntime x\n"), 0o666)
	if err := c.Resolve(); err != nil {
		t.Fatal(err)
	}
	if c.GoVersion != "go1.26.8-schedx.1" || c.Commit != "none" {
		t.Errorf("resolved %+v, want goversion go1.26.8-schedx.1 and commit none", c)
	}
}

func TestSameAs(t *testing.T) {
	a := Config{Name: "a", GOROOT: "/g", Env: []string{"GOGC=1", "GODEBUG=x=1"}}
	b := Config{Name: "b", GOROOT: "/g", Env: []string{"GODEBUG=x=1", "GOGC=1"}}
	c := Config{Name: "c", GOROOT: "/g"}
	if !a.SameAs(b) || a.SameAs(c) {
		t.Errorf("SameAs: a~b %v (want true), a~c %v (want false)", a.SameAs(b), a.SameAs(c))
	}
}

func TestTraceSetting(t *testing.T) {
	c, err := Parse("fork=../go,GODEBUG=schedmode=priority,SCHEDBENCH_TRACE=1")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Trace() {
		t.Errorf("%v: Trace() = false, want true", c.Env)
	}
	if c.Mode() != "priority" {
		t.Errorf("Mode() = %q, want priority", c.Mode())
	}
	c, err = Parse("stock=/usr/local/go")
	if err != nil {
		t.Fatal(err)
	}
	if c.Trace() {
		t.Errorf("stock: Trace() = true, want false")
	}
}
