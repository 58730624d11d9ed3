// Package patchtest tests the fork's tooling (make.bash, ci/patches) end to
// end on a small fake base: a handful of files with a VERSION and a
// src/make.bash that stands in for Go's, so a round trip takes seconds.
package patchtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

const (
	baseVersion = "go1.99.3"
	forkVersion = "go1.99.3-schedx.7"
)

// repoRoot is the project's top directory (ci/patchtest/../..).
func repoRoot(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}

// project is a scratch copy of the project's tooling with a fake base.
type project struct {
	t    *testing.T
	dir  string // the project copy: make.bash, ci/, patches/, VERSION
	base string // the fake pristine base GOROOT
	env  []string
}

// fakeBase lays out a tiny "GOROOT" in dir. Its src/make.bash writes a bin/go
// script that prints the version found in ../VERSION, like a real build.
func fakeBase(t *testing.T, dir string) {
	files := map[string]string{
		"VERSION":               baseVersion + "\ntime 2026-01-01T00:00:00Z\n",
		"LICENSE":               "fake license\n",
		"go.env":                "GOPROXY=off\n",
		"api/go1.txt":           "pkg a, func A()\n",
		"src/a/a.go":            "package a\n\nfunc A() int {\n\treturn 1\n}\n",
		"src/b/b.go":            "package b\n\nvar B = 2\n",
		"src/b/testdata/x.o":    "\x7fELF\x00\x01binary\x00",
		"test/t.go":             "// run\n\npackage main\n\nfunc main() {}\n",
		"misc/tool/readme.txt":  "misc\n",
		"pkg/tool/compile":      "build output, not part of the base\n",
		"bin/go":                "build output, not part of the base\n",
		"src/cmd/dist/notes.md": "dist\n",
		// A file cmd/dist regenerates on every build; release archives carry it.
		"src/internal/buildcfg/zbootstrap.go": "package buildcfg\n\nconst version = \"" + baseVersion + "\"\n",
	}
	for name, body := range files {
		write(t, filepath.Join(dir, name), body, 0o644)
	}
	write(t, filepath.Join(dir, "src/make.bash"), `#!/bin/sh
set -e
test -f make.bash || { echo "make.bash must run in src" >&2; exit 1; }
test -n "$GOROOT_BOOTSTRAP" || { echo "no GOROOT_BOOTSTRAP" >&2; exit 1; }
mkdir -p ../bin ../pkg
v=$(head -n 1 ../VERSION)
printf '#!/bin/sh\necho "go version %s linux/amd64"\n' "$v" > ../bin/go
chmod +x ../bin/go
printf 'package buildcfg\n\nconst version = "%s"\n' "$v" > internal/buildcfg/zbootstrap.go
echo built >> ../pkg/build.count
`, 0o755)
}

func write(t *testing.T, name, body string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(from)
	if err != nil {
		t.Fatal(err)
	}
	write(t, to, string(b), fi.Mode().Perm())
}

func newProject(t *testing.T) *project {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	root := repoRoot(t)
	tmp := t.TempDir()
	p := &project{t: t, dir: filepath.Join(tmp, "proj"), base: filepath.Join(tmp, "base")}
	fakeBase(t, p.base)
	for _, f := range []string{"make.bash", "ci/lib.sh", "ci/patches", "ci/series-stats"} {
		copyFile(t, filepath.Join(root, f), filepath.Join(p.dir, f))
	}
	write(t, filepath.Join(p.dir, "VERSION"), forkVersion+"\n", 0o644)
	if err := os.MkdirAll(filepath.Join(p.dir, "patches"), 0o755); err != nil {
		t.Fatal(err)
	}
	p.env = append(os.Environ(),
		"GOROOT_BASE="+p.base,
		"HOME="+tmp, // no global git config: the tools must not depend on one
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Gopher", "GIT_AUTHOR_EMAIL=gopher@example.com",
		"GIT_COMMITTER_NAME=Gopher", "GIT_COMMITTER_EMAIL=gopher@example.com",
	)
	// The checked-in manifest of the (fake) base, made by the same code that
	// verifies it.
	out := p.mustRun("bash", "-c", "source ci/lib.sh && manifest \"$GOROOT_BASE\" > ci/base-manifest.txt")
	_ = out
	return p
}

// run runs a command in the project directory and returns its combined
// output and whether it succeeded.
func (p *project) run(name string, args ...string) (string, bool) {
	p.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = p.dir
	cmd.Env = p.env
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

func (p *project) mustRun(name string, args ...string) string {
	p.t.Helper()
	out, ok := p.run(name, args...)
	if !ok {
		p.t.Fatalf("%s %s failed:\n%s", name, strings.Join(args, " "), out)
	}
	return out
}

func (p *project) mustFail(wantSubstrings []string, name string, args ...string) string {
	p.t.Helper()
	out, ok := p.run(name, args...)
	if ok {
		p.t.Fatalf("%s %s succeeded, want failure; output:\n%s", name, strings.Join(args, " "), out)
	}
	for _, s := range wantSubstrings {
		if !strings.Contains(out, s) {
			p.t.Errorf("%s %s: output does not mention %q:\n%s", name, strings.Join(args, " "), s, out)
		}
	}
	return out
}

// git runs git in the project's go/.
func (p *project) git(args ...string) string {
	p.t.Helper()
	return p.mustRun("git", append([]string{"-C", "go"}, args...)...)
}

// edit writes a file in go/.
func (p *project) edit(name, body string) {
	p.t.Helper()
	write(p.t, filepath.Join(p.dir, "go", name), body, 0o644)
}

// commit commits everything in go/.
func (p *project) commit(msg string) {
	p.t.Helper()
	p.git("add", "-A")
	p.git("commit", "-q", "-m", msg)
}

// readPatches returns patches/ as file name -> contents.
func (p *project) readPatches() map[string]string {
	p.t.Helper()
	m := make(map[string]string)
	ents, err := os.ReadDir(filepath.Join(p.dir, "patches"))
	if err != nil {
		p.t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(p.dir, "patches", e.Name()))
		if err != nil {
			p.t.Fatal(err)
		}
		m[e.Name()] = string(b)
	}
	return m
}

func samePatches(t *testing.T, what string, a, b map[string]string) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d patches, then %d", what, len(a), len(b))
	}
	for name, body := range a {
		if b[name] != body {
			t.Errorf("%s: %s differs:\n--- before\n%s\n--- after\n%s", what, name, body, b[name])
		}
	}
}

// makeSeries materializes go/ and commits three changes in it: an edit, a new
// file plus a deletion, and a binary file; then extracts them.
func (p *project) makeSeries() {
	p.t.Helper()
	p.mustRun("ci/patches", "apply")
	p.edit("src/a/a.go", "package a\n\nfunc A() int {\n\treturn 42\n}\n")
	p.commit("a: return the answer\n\nBecause it is.\n")
	p.edit("src/c/c.go", "package c\n")
	if err := os.Remove(filepath.Join(p.dir, "go/src/b/b.go")); err != nil {
		p.t.Fatal(err)
	}
	p.commit("c: new package replacing b")
	write(p.t, filepath.Join(p.dir, "go/src/c/testdata/blob.bin"), "\x00\x01\x02binary\xff", 0o644)
	p.commit("c: add a binary test file")
	p.mustRun("ci/patches", "extract")
}

func TestApplyExtractRoundTrip(t *testing.T) {
	p := newProject(t)
	p.makeSeries()
	first := p.readPatches()
	if len(first) != 3 {
		t.Fatalf("extract wrote %d patches, want 3: %v", len(first), first)
	}
	for _, name := range []string{
		"0001-a-return-the-answer.patch",
		"0002-c-new-package-replacing-b.patch",
		"0003-c-add-a-binary-test-file.patch",
	} {
		if _, ok := first[name]; !ok {
			t.Errorf("no patches/%s; have %v", name, first)
		}
	}
	for name, body := range first {
		if !strings.HasPrefix(body, "From 0000000000000000000000000000000000000000 ") {
			t.Errorf("%s does not start with a zero commit ID:\n%s", name, body)
		}
		if strings.Contains(body, "[PATCH ") {
			t.Errorf("%s has a numbered subject:\n%s", name, body)
		}
	}

	// Extracting again changes nothing.
	p.mustRun("ci/patches", "extract")
	samePatches(t, "second extract", first, p.readPatches())
	p.mustRun("ci/patches", "check")

	// Materializing again from patches/ and extracting gives the same bytes
	// and the same commits.
	head := p.git("rev-parse", "HEAD")
	if err := os.RemoveAll(filepath.Join(p.dir, "go")); err != nil {
		t.Fatal(err)
	}
	p.mustRun("ci/patches", "apply")
	if got := p.git("rev-parse", "HEAD"); got != head {
		t.Errorf("apply after extract made commit %s, want %s (same patches, same commits)", got, head)
	}
	b, err := os.ReadFile(filepath.Join(p.dir, "go/src/a/a.go"))
	if err != nil || !bytes.Contains(b, []byte("42")) {
		t.Errorf("go/src/a/a.go after apply = %q, %v; want the patched file", b, err)
	}
	if _, err := os.Stat(filepath.Join(p.dir, "go/src/b/b.go")); !os.IsNotExist(err) {
		t.Errorf("go/src/b/b.go exists after apply; the series deletes it")
	}
	p.mustRun("ci/patches", "extract")
	samePatches(t, "apply+extract", first, p.readPatches())
	p.mustRun("ci/patches", "check")
}

func TestApplyLeavesBuildOutputsOut(t *testing.T) {
	p := newProject(t)
	p.mustRun("ci/patches", "apply")
	for _, f := range []string{"go/bin/go", "go/pkg/tool/compile"} {
		if _, err := os.Stat(filepath.Join(p.dir, f)); !os.IsNotExist(err) {
			t.Errorf("%s was copied from the base; bin/ and pkg/ are build outputs", f)
		}
	}
	// Binary files that upstream's .gitignore patterns would match (*.o) are
	// part of the base commit all the same.
	if out := p.git("ls-files", "src/b/testdata/x.o"); strings.TrimSpace(out) == "" {
		t.Errorf("src/b/testdata/x.o is not in the base commit")
	}
	if out := p.git("status", "--porcelain"); out != "" {
		t.Errorf("go/ is not clean after apply:\n%s", out)
	}
}

func TestVersionStamp(t *testing.T) {
	p := newProject(t)
	p.mustRun("ci/patches", "apply")
	b, err := os.ReadFile(filepath.Join(p.dir, "go/VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	if want := forkVersion + "\ntime 2026-01-01T00:00:00Z\n"; string(b) != want {
		t.Errorf("go/VERSION = %q, want %q", b, want)
	}
	if out := p.git("status", "--porcelain"); out != "" {
		t.Errorf("the VERSION stamp shows in git status:\n%s", out)
	}
	if out := p.git("show", "schedx/base:VERSION"); !strings.HasPrefix(out, baseVersion+"\n") {
		t.Errorf("the base commit's VERSION = %q; the base commit must stay pristine", out)
	}

	// A bad VERSION is refused with a message naming it.
	write(t, filepath.Join(p.dir, "VERSION"), "schedx-1\n", 0o644)
	p.mustFail([]string{`"schedx-1"`, "goX.Y.Z-schedx.N"}, "ci/patches", "check")
}

func TestTamperedBaseRefused(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(base string)
		want   []string
	}{
		{"modified", func(base string) {
			write(t, filepath.Join(base, "src/a/a.go"), "package a // changed\n", 0o644)
		}, []string{"not pristine " + baseVersion, "modified file: src/a/a.go"}},
		{"extra", func(base string) {
			write(t, filepath.Join(base, "src/a/extra.go"), "package a\n", 0o644)
		}, []string{"extra file:    src/a/extra.go"}},
		{"missing", func(base string) {
			os.Remove(filepath.Join(base, "misc/tool/readme.txt"))
		}, []string{"missing file:  misc/tool/readme.txt"}},
		{"mode", func(base string) {
			os.Chmod(filepath.Join(base, "src/make.bash"), 0o644)
		}, []string{"mode changed:  src/make.bash (755 -> 644)"}},
		{"version", func(base string) {
			write(t, filepath.Join(base, "VERSION"), "go1.99.2\ntime 2026-01-01T00:00:00Z\n", 0o644)
		}, []string{"is go1.99.2; need a pristine " + baseVersion}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newProject(t)
			tc.tamper(p.base)
			p.mustFail(tc.want, "ci/patches", "apply")
			p.mustFail(tc.want, "./make.bash")
			if _, err := os.Stat(filepath.Join(p.dir, "go")); !os.IsNotExist(err) {
				t.Errorf("go/ was created from a tampered base")
			}
		})
	}
}

func TestBuildOutputsInBaseAreIgnored(t *testing.T) {
	// bin/ and pkg/ of the base are not part of the manifest: a base that has
	// been built (or not) is the same base.
	p := newProject(t)
	write(t, filepath.Join(p.base, "pkg/tool/new"), "x", 0o644)
	os.RemoveAll(filepath.Join(p.base, "bin"))
	p.mustRun("ci/patches", "apply")
}

func TestPatchDoesNotApply(t *testing.T) {
	p := newProject(t)
	p.makeSeries()
	// Rewrite the context of the first patch so that it no longer matches
	// the base, as a stale patch does after a rebase.
	name := filepath.Join(p.dir, "patches/0001-a-return-the-answer.patch")
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(b), "-\treturn 1", "-\treturn 7", 1)
	if bad == string(b) {
		t.Fatalf("patch does not have the expected hunk:\n%s", b)
	}
	write(t, name, bad, 0o644)
	want := []string{"patches/0001-a-return-the-answer.patch does not apply", "src/a/a.go"}
	p.mustFail(want, "ci/patches", "check")

	// Materializing from scratch fails the same way, naming patch and file.
	os.RemoveAll(filepath.Join(p.dir, "go"))
	p.mustFail(want, "ci/patches", "apply")
	// check without go/ applies the series to a scratch copy of the base.
	os.RemoveAll(filepath.Join(p.dir, "go"))
	p.mustFail(want, "ci/patches", "check")
}

func TestCheckCatchesUnextractedWork(t *testing.T) {
	p := newProject(t)
	p.makeSeries()
	p.mustRun("ci/patches", "check")

	// An uncommitted edit.
	p.edit("src/a/a.go", "package a // uncommitted\n")
	p.mustFail([]string{"uncommitted changes", "src/a/a.go"}, "ci/patches", "check")
	p.git("checkout", "--", "src/a/a.go")
	p.mustRun("ci/patches", "check")

	// An untracked new file.
	p.edit("src/d/d.go", "package d\n")
	p.mustFail([]string{"uncommitted changes", "src/d/"}, "ci/patches", "check")
	os.RemoveAll(filepath.Join(p.dir, "go/src/d"))

	// A commit that was not extracted.
	p.edit("src/c/c.go", "package c\n\nvar C = 3\n")
	p.commit("c: add C")
	p.mustFail([]string{"commits that are not in patches/", "ci/patches extract"}, "ci/patches", "check")
	p.mustRun("ci/patches", "extract")
	p.mustRun("ci/patches", "check")

	// An amended commit (same count, different content).
	p.edit("src/c/c.go", "package c\n\nvar C = 4\n")
	p.git("add", "-A")
	p.git("commit", "-q", "--amend", "--no-edit")
	p.mustFail([]string{"commits that are not in patches/"}, "ci/patches", "check")
}

func TestMakeBash(t *testing.T) {
	p := newProject(t)
	out := p.mustRun("./make.bash")
	if !strings.Contains(out, "export GOROOT="+filepath.Join(p.dir, "go")+" PATH="+filepath.Join(p.dir, "go/bin")+":$PATH") {
		t.Errorf("make.bash does not print the GOROOT swap:\n%s", out)
	}
	if got := p.mustRun("go/bin/go", "version"); !strings.Contains(got, forkVersion) {
		t.Errorf("built go version = %q, want it to name %s", got, forkVersion)
	}
	// A second run has nothing to build.
	out = p.mustRun("./make.bash")
	if !strings.Contains(out, "nothing to do") {
		t.Errorf("second make.bash rebuilt:\n%s", out)
	}
	if b, _ := os.ReadFile(filepath.Join(p.dir, "go/pkg/build.count")); string(b) != "built\n" {
		t.Errorf("go/src/make.bash ran %d times, want 1", strings.Count(string(b), "built"))
	}
	// Build outputs do not show up as changes in go/.
	if st := p.git("status", "--porcelain"); st != "" {
		t.Errorf("go/ is not clean after the build:\n%s", st)
	}
}

func TestMakeBashKeepsWork(t *testing.T) {
	p := newProject(t)
	p.makeSeries()
	p.mustRun("./make.bash")

	// Unextracted commit: make.bash stops and the commit survives.
	p.edit("src/c/c.go", "package c\n\nvar Work = 1\n")
	p.commit("c: work in progress")
	head := p.git("rev-parse", "HEAD")
	p.mustFail([]string{"go/ holds work that is not in patches/", "ci/patches extract"}, "./make.bash")
	if got := p.git("rev-parse", "HEAD"); got != head {
		t.Fatalf("make.bash moved go/ from %s to %s", head, got)
	}

	// Uncommitted change: make.bash stops and the edit survives.
	p.mustRun("ci/patches", "extract")
	p.edit("src/a/a.go", "package a // precious\n")
	p.mustFail([]string{"go/ holds work that is not in patches/", "src/a/a.go"}, "./make.bash")
	if b, _ := os.ReadFile(filepath.Join(p.dir, "go/src/a/a.go")); string(b) != "package a // precious\n" {
		t.Fatalf("make.bash changed go/src/a/a.go to %q", b)
	}
	p.git("checkout", "--", "src/a/a.go")

	// patches/ changed under a go/ with no work of its own (a pull brought a
	// new series): make.bash materializes and builds again.
	if err := os.Remove(filepath.Join(p.dir, "patches/0004-c-work-in-progress.patch")); err != nil {
		t.Fatal(err)
	}
	out := p.mustRun("./make.bash")
	if !strings.Contains(out, "materializing it again") {
		t.Errorf("make.bash did not materialize a stale go/:\n%s", out)
	}
	if b, _ := os.ReadFile(filepath.Join(p.dir, "go/src/c/c.go")); string(b) != "package c\n" {
		t.Errorf("go/src/c/c.go = %q; want it without the removed patch", b)
	}
	p.mustRun("ci/patches", "check")

	// A new VERSION is stamped and rebuilt without materializing again.
	write(t, filepath.Join(p.dir, "VERSION"), "go1.99.3-schedx.8\n", 0o644)
	out = p.mustRun("./make.bash")
	if strings.Contains(out, "materializing") || strings.Contains(out, "nothing to do") {
		t.Errorf("make.bash after a VERSION change:\n%s", out)
	}
	if got := p.mustRun("go/bin/go", "version"); !strings.Contains(got, "go1.99.3-schedx.8") {
		t.Errorf("go version after a VERSION change = %q", got)
	}
}

// TestNoUpstreamSource checks the rule that upstream Go source is never
// committed here: no tracked file of the project is a file of the base
// (compared by content against ci/base-manifest.txt; tiny files such as an
// empty go.sum are left out, as they match by accident).
func TestNoUpstreamSource(t *testing.T) {
	root := repoRoot(t)
	out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	manifest, err := os.ReadFile(filepath.Join(root, "ci/base-manifest.txt"))
	if err != nil {
		t.Fatal(err)
	}
	base := make(map[string]string)
	for _, line := range strings.Split(string(manifest), "\n") {
		if f := strings.SplitN(line, " ", 3); len(f) == 3 {
			base[f[0]] = f[2]
		}
	}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil || len(b) < 256 {
			continue // deleted in the working tree, or tiny
		}
		sum := sha256.Sum256(b)
		if up, ok := base[hex.EncodeToString(sum[:])]; ok {
			t.Errorf("%s is upstream's %s: upstream source is never committed (change it through a patch)", name, up)
		}
	}
}

// TestStressSelection checks that ci/stress -fork selects the test functions
// the series adds to a package, netting out what later patches remove, move
// or change, and nothing from other directories or non-test files.
func TestStressSelection(t *testing.T) {
	p := newProject(t)
	copyFile(t, filepath.Join(repoRoot(t), "ci/stress"), filepath.Join(p.dir, "ci/stress"))
	p.mustRun("ci/patches", "apply")
	p.edit("src/a/a_test.go", "package a\n\nimport \"testing\"\n\n"+
		"func TestA(t *testing.T) {}\n\nfunc TestGone(t *testing.T) {}\n\n"+
		"func ExampleA() {}\n\nfunc FuzzA(f *testing.F) {}\n")
	p.edit("src/a/sub/s_test.go", "package sub\n\nimport \"testing\"\n\nfunc TestSub(t *testing.T) {}\n")
	p.edit("src/a/a2.go", "package a\n\nfunc TestNotATest() {}\n")
	p.commit("a: add tests")
	// The second change removes TestGone, moves TestA to another file and
	// changes FuzzA's signature.
	p.edit("src/a/a_test.go", "package a\n\nimport \"testing\"\n\n"+
		"func ExampleA() {}\n\nfunc FuzzA(f *testing.F /* changed */) {}\n")
	p.edit("src/a/z_test.go", "package a\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) {}\n")
	p.commit("a: rework tests")
	p.mustRun("ci/patches", "extract")

	out := p.mustRun("ci/stress", "-fork", "-list", "a")
	if want := "a: ^(ExampleA|FuzzA|TestA)$\n"; out != want {
		t.Errorf("ci/stress -fork -list a:\n%s\nwant:\n%s", out, want)
	}
	p.mustFail([]string{"no tests selected in package b"}, "ci/stress", "-fork", "-list", "b")

	// -run narrows the selection to whole names it matches.
	out = p.mustRun("ci/stress", "-fork", "-run", "Test.*|FuzzA", "-list", "a")
	if want := "a: ^(FuzzA|TestA)$\n"; out != want {
		t.Errorf("ci/stress -fork -run 'Test.*|FuzzA' -list a:\n%s\nwant:\n%s", out, want)
	}
	p.mustFail([]string{"-run Fuzz: matches none of the tests selected in package a"}, "ci/stress", "-fork", "-run", "Fuzz", "-list", "a")
}

// TestTortureLoopArgs checks ci/torture-loop's configurations and its
// errors for bad arguments, which it must give before building anything.
func TestTortureLoopArgs(t *testing.T) {
	p := newProject(t)
	copyFile(t, filepath.Join(repoRoot(t), "ci/torture-loop"), filepath.Join(p.dir, "ci/torture-loop"))

	// The default configurations are test/torture's, so that a loop
	// repeats what ./all.bash runs once.
	out := p.mustRun("ci/torture-loop", "-list")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) < 2 || lines[0] != "c1 GODEBUG=" {
		t.Fatalf("ci/torture-loop -list:\n%s\nwant the default configuration (c1 GODEBUG=) first, then others", out)
	}
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "test/torture/torture_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines[1:] {
		_, godebug, _ := strings.Cut(l, " GODEBUG=")
		if !strings.Contains(string(src), "\t\t\""+godebug+"\",\n") {
			t.Errorf("ci/torture-loop -list: %q is not one of test/torture's configurations", godebug)
		}
	}

	out = p.mustRun("ci/torture-loop", "-configs", "default schedmode=priority,numanodes=2", "-list")
	if want := "c1 GODEBUG=\nc2 GODEBUG=schedmode=priority,numanodes=2\n"; out != want {
		t.Errorf("ci/torture-loop -configs ... -list:\n%s\nwant:\n%s", out, want)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-count", "0"}, "-count 0: want a positive number of runs"},
		{[]string{"-p", "x"}, "-p x: want a positive number of processes"},
		{[]string{"-d", "1"}, "duration 1: want a Go duration"},
		{[]string{"-timeout", "-5s"}, "duration -5s: want a Go duration"},
		{[]string{"-configs", "priority"}, "-configs: priority is neither \"default\" nor a GODEBUG value"},
		{[]string{"-configs", " "}, "-configs: no configurations"},
		{[]string{"-count"}, "-count needs a value"},
		{[]string{"extra"}, "unknown argument extra"},
	} {
		p.mustFail([]string{"ci/torture-loop: " + tc.want}, "ci/torture-loop", append([]string{"-list"}, tc.args...)...)
	}
}

// TestStressTotal checks lib.sh's stress_total, which ci/stress and
// ci/torture-loop use to read the counts in x/tools' cmd/stress output: the
// last report counts, and a log without one (stress did not start or was
// killed first) gives nothing, which both tools take as a failure.
func TestStressTotal(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ log, want string }{
		{"5s: 34 runs so far, 0 failures, 2 active\n10s: 68 runs so far, 1 failures (1.47%), 2 active\n" +
			"12s: 70 runs total, 1 failures (1.43%)\n", "70 1\n"},
		{"5s: 10 runs total, 0 failures\n", "10 0\n"},
		{"5s: 34 runs so far, 0 failures, 2 active\n", ""},
		{"", ""},
	} {
		log := filepath.Join(dir, "stress.log")
		write(t, log, tc.log, 0o666)
		cmd := exec.Command("bash", "-c", `source "$1" && stress_total "$2"`, "bash",
			filepath.Join(repoRoot(t), "ci/lib.sh"), log)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("stress_total: %v\n%s", err, out)
		}
		if string(out) != tc.want {
			t.Errorf("stress_total on %q = %q, want %q", tc.log, out, tc.want)
		}
	}
}

// TestSeriesStats checks ci/series-stats' counts on a two-patch series: an
// edit of an upstream file and a new runtime file, with a test file whose
// throws do not count.
func TestSeriesStats(t *testing.T) {
	p := newProject(t)
	p.mustRun("ci/patches", "apply")
	p.edit("src/a/a.go", "package a\n\nfunc A() int {\n\treturn 42\n}\n")
	p.commit("a: return the answer")
	p.edit("src/runtime/x.go", "package runtime\n\nfunc x(mode uint32) {\n\tif mode&schedModeTest != 0 && mode&(schedModeNUMA|schedModeTest) != 0 {\n\t\tthrow(\"x\")\n\t}\n}\n")
	p.edit("src/runtime/x_test.go", "package runtime\n\nfunc y() { throw(\"y\") }\n")
	p.commit("runtime: add x\n\nOne.\nTwo.\n\nThree.\n")
	p.mustRun("ci/patches", "extract")
	out := p.mustRun("ci/series-stats")
	for _, want := range []string{
		"series: 2 patches\n",
		"lines touched in upstream files: 2\n",
		"hunks in src/runtime/proc.go: 0\n",
		"runtime non-test code added: 7 lines, 2 mode-bit tests, 1 throws\n",
		"mode-bit tests by file: x.go 2\n",
		"longest commit message: 6 lines\n", // subject, blank, One, Two, blank, Three
	} {
		if !strings.Contains(out, want) {
			t.Errorf("ci/series-stats output lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`(?m)^0001-a-return-the-answer +1 +1 +1 +0$`).MatchString(out) {
		t.Errorf("ci/series-stats: no row for patch 0001 with 1 file, +1 -1 upstream lines:\n%s", out)
	}
	p.mustFail([]string{"no patches in"}, "ci/series-stats", t.TempDir())
}
