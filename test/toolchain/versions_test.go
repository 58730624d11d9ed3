package toolchain

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"schedx.example/test/internal/forkenv"
)

// The tests in this file check that what parses Go versions keeps working
// when the toolchain's version is the fork's (goX.Y.Z-schedx.N): go/version,
// //go:build goX.Y tags, go.mod go lines, the language version they select
// (-lang), and go vet's version-gated checks.

func TestGoVersionPackage(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"go.mod": "module example.com/v\n\ngo 1.26\n",
		"main.go": `package main

import (
	"fmt"
	"go/version"
	"runtime"
)

func main() {
	v := runtime.Version()
	fmt.Println(version.IsValid(v), version.Lang(v),
		version.Compare(v, "BASE"), version.Compare(v, "NEXT"), version.Compare(v, "go1.26"))
	fmt.Println(tags)
}
`,
		"go126.go":   "//go:build go1.26\n\npackage main\n\nconst go126 = \"go1.26\"\n",
		"nogo126.go": "//go:build !go1.26\n\npackage main\n\nconst go126 = \"!go1.26\"\n",
		"go127.go":   "//go:build go1.27\n\npackage main\n\nconst go127 = \"go1.27\"\n",
		"nogo127.go": "//go:build !go1.27\n\npackage main\n\nconst go127 = \"!go1.27\"\n",
		"tags.go":    "package main\n\nconst tags = go126 + \" \" + go127\n",
	})
	// The base release and the one after it, which the fork compares equal
	// to and older than.
	mainGo := filepath.Join(dir, "main.go")
	b, err := os.ReadFile(mainGo)
	if err != nil {
		t.Fatal(err)
	}
	b = []byte(strings.NewReplacer("BASE", forkenv.BaseVersion(t), "NEXT", forkenv.NextVersion(t)).Replace(string(b)))
	if err := os.WriteFile(mainGo, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out := run(t, goCmd(t, dir, "run", "."))
	want := "true go1.26 0 -1 1\ngo1.26 !go1.27\n"
	if out != want {
		t.Errorf("go/version and build tags under %s:\n got %q\nwant %q (IsValid, Lang, Compare with %s, %s, go1.26; tags)",
			forkenv.Version(t), out, want, forkenv.BaseVersion(t), forkenv.NextVersion(t))
	}
}

func TestGoModGoLine(t *testing.T) {
	for _, goLine := range []string{strings.TrimPrefix(forkenv.NextVersion(t), "go"), "1.27"} {
		dir := writeModule(t, map[string]string{
			"go.mod":  "module example.com/v\n\ngo " + goLine + "\n",
			"main.go": "package main\n\nfunc main() {}\n",
		})
		cmd := goCmd(t, dir, "build", ".")
		cmd.Env = append(cmd.Env, "GOTOOLCHAIN=local")
		out, err := cmd.CombinedOutput()
		want := "go.mod requires go >= " + goLine + " (running go " + strings.TrimPrefix(forkenv.BaseVersion(t), "go") + "; GOTOOLCHAIN=local)"
		if err == nil || !strings.Contains(string(out), want) {
			t.Errorf("go %s module, GOTOOLCHAIN=local: err=%v, output:\n%s\nwant an error saying %q", goLine, err, out, want)
		}
	}
}

// TestLanguageVersion checks that the go line still selects the language
// version: loop variables are per-iteration from go 1.22 on.
func TestLanguageVersion(t *testing.T) {
	const loops = `package main

import "fmt"

func main() {
	var fs []func() int
	for i := 0; i < 3; i++ {
		fs = append(fs, func() int { return i })
	}
	for _, f := range fs {
		fmt.Print(f())
	}
	fmt.Println()
}
`
	for goLine, want := range map[string]string{"1.21": "333\n", "1.22": "012\n", "1.26": "012\n"} {
		dir := writeModule(t, map[string]string{
			"go.mod":  "module example.com/v\n\ngo " + goLine + "\n",
			"main.go": loops,
		})
		if out := run(t, goCmd(t, dir, "run", ".")); out != want {
			t.Errorf("go %s module: printed %q, want %q", goLine, out, want)
		}
	}
}

// TestVetVersionGating checks vet's stdversion analyzer, which compares the
// Go version a file may assume with the version std API appeared in.
func TestVetVersionGating(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"go.mod": "module example.com/v\n\ngo 1.23\n",
		"lines.go": `package v

import "strings"

func Count(s string) (n int) {
	for range strings.Lines(s) { // go1.24 API in a go 1.23 module
		n++
	}
	return n
}
`,
		"new.go": `//go:build go1.24

package v

import "strings"

func Count2(s string) (n int) {
	for range strings.Lines(s) { // allowed: the file says go1.24
		n++
	}
	return n
}
`,
	})
	cmd := goCmd(t, dir, "vet", ".")
	out, err := cmd.CombinedOutput()
	want := "lines.go:6:20: strings.Lines requires go1.24 or later (module is go1.23)"
	if err == nil || !strings.Contains(string(out), want) || strings.Contains(string(out), "new.go") {
		t.Errorf("go vet: err=%v, output:\n%s\nwant it to report only %q", err, out, want)
	}
}
