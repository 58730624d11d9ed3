package patchtest

import (
	"archive/zip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The tests in this file cover a base assembled from a golang.org/toolchain
// module and a donor release (ci/base-provenance.txt): the fake base of
// newProject (go1.99.3) is the donor, and fake modules of go1.99.4 and
// go1.99.5 are served from a file:// GOPROXY. The tools download them with
// the real go command (the donor's bin/go runs it), which the test tells
// not to consult the checksum database (GOSUMDB=off in the go env file;
// SCHEDX_TEST_NO_SUMDB=1 for recording a base): the recorded h1: hash and
// the manifest are what make.bash checks.

// moduleVersion is the golang.org/toolchain version of release v for the host.
func moduleVersion(v string) string {
	return "v0.0.1-" + v + "." + runtime.GOOS + "-" + runtime.GOARCH
}

// goWrapper writes an executable at name that runs the go command running
// this test, so that a fake GOROOT's bin/go can download modules.
func goWrapper(t *testing.T, name string) {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	gobin, err = filepath.Abs(gobin)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(name) // write keeps the mode of a file that exists
	write(t, name, "#!/bin/sh\nexec "+gobin+" \"$@\"\n", 0o755)
}

// eGo is src/e/e.go of the fake releases: go1.99.3's, and with extra
// lines above the function the series edits in later releases, which moves
// the series' hunk there without touching its context.
func eGo(extra string) string {
	return "package e\n\n" + extra + "// one\n// two\n// three\n// four\n\nfunc E() int {\n\treturn 1\n}\n"
}

// moduleFiles are the files of the fake toolchain module of release v: the
// fake base's src/ and top-level files, with src/e/e.go as eGo(extra), a
// go.mod renamed _go.mod as cmd/distpack does, and bin/ and pkg/ (a
// toolchain module carries the built toolchain).
func moduleFiles(v, extra string) map[string]string {
	return map[string]string{
		"VERSION":                             v + "\ntime 2026-02-01T00:00:00Z\n",
		"LICENSE":                             "fake license\n",
		"go.env":                              "GOPROXY=off\n",
		"src/a/a.go":                          "package a\n\nfunc A() int {\n\treturn 1\n}\n",
		"src/b/b.go":                          "package b\n\nvar B = 2\n",
		"src/b/testdata/x.o":                  "\x7fELF\x00\x01binary\x00",
		"src/cmd/dist/notes.md":               "dist\n",
		"src/d/_go.mod":                       "module d\n",
		"src/e/e.go":                          eGo(extra),
		"src/internal/buildcfg/zbootstrap.go": "package buildcfg\n\nconst version = \"" + v + "\"\n",
		"lib/time/update.bash":                "#!/bin/sh\n",
		"pkg/tool/compile":                    "a built tool\n",
	}
}

// writeModule adds the toolchain module of release v with files to the
// file:// module proxy in dir (replacing one already there). bin/go runs
// the real go command; src/make.bash is the fake base's.
func writeModule(t *testing.T, dir, v string, files map[string]string) {
	t.Helper()
	mv := moduleVersion(v)
	at := filepath.Join(dir, "golang.org", "toolchain", "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		t.Fatal(err)
	}
	scratch := t.TempDir()
	fakeBase(t, scratch)
	mk, err := os.ReadFile(filepath.Join(scratch, "src/make.bash"))
	if err != nil {
		t.Fatal(err)
	}
	goWrapper(t, filepath.Join(scratch, "bin/go"))
	gobin, err := os.ReadFile(filepath.Join(scratch, "bin/go"))
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]string{"src/make.bash": string(mk), "bin/go": string(gobin)}
	for name, body := range files {
		all[name] = body
	}
	f, err := os.Create(filepath.Join(at, mv+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, body := range all {
		w, err := zw.Create("golang.org/toolchain@" + mv + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(at, mv+".info"), `{"Version":"`+mv+`","Time":"2026-02-01T00:00:00Z"}`, 0o644)
	write(t, filepath.Join(at, mv+".mod"), "module golang.org/toolchain\n", 0o644)
	list, _ := os.ReadFile(filepath.Join(at, "list"))
	if !strings.Contains(string(list), mv+"\n") {
		write(t, filepath.Join(at, "list"), string(list)+mv+"\n", 0o644)
	}
}

// assembledProject is a project whose series was made on the fake whole
// release go1.99.3 and whose base was then recorded as go1.99.4 (the
// module, and go1.99.3 as the donor of api/, misc/ and test/), with VERSION
// go1.99.4-schedx.1 and no GOROOT_BASE: make.bash assembles the base.
// go/ still holds the series on go1.99.3.
func assembledProject(t *testing.T) (p *project, proxy string) {
	t.Helper()
	p = newProject(t)
	for _, f := range []string{"ci/rebase.bash", "ci/move.bash", "ci/base-provenance.bash"} {
		copyFile(t, filepath.Join(repoRoot(t), f), filepath.Join(p.dir, f))
	}
	goWrapper(t, filepath.Join(p.base, "bin/go"))
	proxy = filepath.Join(filepath.Dir(p.base), "proxy")
	writeModule(t, proxy, "go1.99.4", moduleFiles("go1.99.4", "// go1.99.4\n"))
	write(t, filepath.Join(p.base, "src/e/e.go"), eGo(""), 0o644)
	p.mustRun("bash", "-c", "source ci/lib.sh && manifest \"$GOROOT_BASE\" > ci/base-manifest.txt")
	home := filepath.Dir(p.base)
	write(t, filepath.Join(home, ".config/go/env"), "GOSUMDB=off\n", 0o644)
	p.env = append(p.env, "GOPROXY=file://"+proxy, "GOFLAGS=-modcacherw", "GOTOOLCHAIN=local")
	p.makeSeries()
	p.edit("src/e/e.go", strings.Replace(eGo(""), "return 1", "return 5", 1))
	p.commit("e: return five")
	p.mustRun("ci/patches", "extract")
	p.mustRun("./make.bash")

	// Record go1.99.4 as the base, as ci/patches move does.
	env := p.env
	p.env = append(p.env, "SCHEDX_TEST_NO_SUMDB=1")
	p.mustRun("bash", "-c", "set -euo pipefail; source ci/lib.sh; record_base go1.99.4")
	p.env = env
	write(t, filepath.Join(p.dir, "VERSION"), "go1.99.4-schedx.1\n", 0o644)
	var kept []string
	for _, kv := range p.env {
		if !strings.HasPrefix(kv, "GOROOT_BASE=") {
			kept = append(kept, kv)
		}
	}
	p.env = append(kept, "GOROOT_DONOR="+p.base)
	return p, proxy
}

func TestAssembledBase(t *testing.T) {
	p, _ := assembledProject(t)
	p.mustRun("ci/base-provenance.bash")
	prov, err := os.ReadFile(filepath.Join(p.dir, "ci/base-provenance.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\nbase go1.99.4\n",
		"\nmodule golang.org/toolchain@" + moduleVersion("go1.99.4") + " h1:",
		"\ndonor go1.99.3 api misc test\n",
		" module src/d/_go.mod\n", " module bin/go\n", " module pkg/tool/compile\n",
		" go1.99.3 test/t.go\n", " go1.99.3 api/go1.txt\n",
	} {
		if !strings.Contains(string(prov), want) {
			t.Errorf("ci/base-provenance.txt does not contain %q:\n%s", want, prov)
		}
	}

	// Removed, the base is assembled again by make.bash; go/ moves to it
	// (the series extracted on go1.99.3 applies) and is built.
	os.RemoveAll(filepath.Join(p.dir, "base"))
	out := p.mustRun("./make.bash")
	for _, want := range []string{"assembling the go1.99.4 base", "assembled and verified", "materializing it again"} {
		if !strings.Contains(out, want) {
			t.Errorf("make.bash does not say %q:\n%s", want, out)
		}
	}
	base := filepath.Join(p.dir, "base/go1.99.4")
	for name, mode := range map[string]os.FileMode{"src/d/go.mod": 0o644, "lib/time/update.bash": 0o755, "bin/go": 0o755, "test/t.go": 0o644} {
		if fi, err := os.Stat(filepath.Join(base, name)); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("assembled base: %s: %v, %v; want mode %v", name, fi, err, mode)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(p.dir, "go/src/e/e.go")); string(b) != strings.Replace(eGo("// go1.99.4\n"), "return 1", "return 5", 1) {
		t.Errorf("go/src/e/e.go = %q; want go1.99.4's with the series' change", b)
	}
	if got := p.mustRun("go/bin/go", "version"); !strings.Contains(got, "go1.99.4-schedx.1") {
		t.Errorf("built go version = %q", got)
	}

	// patches/ were extracted on go1.99.3: check passes and says how to
	// refresh them, and make.bash does not materialize go/ again.
	out = p.mustRun("ci/patches", "check")
	if !strings.Contains(out, "extracted on another base") {
		t.Errorf("ci/patches check does not say patches/ need refreshing:\n%s", out)
	}
	if out := p.mustRun("./make.bash"); !strings.Contains(out, "nothing to do") {
		t.Errorf("second make.bash did something:\n%s", out)
	}
	before := p.readPatches()
	p.mustRun("ci/patches", "extract")
	after := p.readPatches()
	old, new := before["0004-e-return-five.patch"], after["0004-e-return-five.patch"]
	if old == new || !strings.Contains(new, "@@ -7,5 +7,5 @@") {
		t.Errorf("extract on the new base did not refresh the hunk line numbers:\n%s", new)
	}
	if out := p.mustRun("ci/patches", "check"); strings.Contains(out, "another base") {
		t.Errorf("ci/patches check after extract:\n%s", out)
	}

	// An amended commit is still caught, even with index lines left out.
	p.edit("src/c/c.go", "package c // amended\n")
	p.git("add", "-A")
	p.git("commit", "-q", "--amend", "--no-edit")
	p.mustFail([]string{"commits that are not in patches/"}, "ci/patches", "check")
}

// TestAssembledBaseErrors checks that a base that cannot be downloaded or
// verified stops make.bash with a message naming the problem, before go/ is
// touched: go/ here holds the series on go1.99.3 plus work of its own.
func TestAssembledBaseErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(p *project, proxy string)
		want   []string
	}{
		{"no module", func(p *project, proxy string) {
			os.RemoveAll(filepath.Join(proxy, "golang.org"))
		}, []string{"cannot download golang.org/toolchain@" + moduleVersion("go1.99.4"), "GOPROXY=file://"}},
		{"proxy down", func(p *project, proxy string) {
			p.env = append(p.env, "GOPROXY=http://127.0.0.1:1")
		}, []string{"cannot download golang.org/toolchain@" + moduleVersion("go1.99.4"), "127.0.0.1:1"}},
		{"other module", func(p *project, proxy string) {
			writeModule(t, proxy, "go1.99.4", moduleFiles("go1.99.4", "// changed\n"))
		}, []string{"golang.org/toolchain@" + moduleVersion("go1.99.4") + " from the module proxy has hash h1:", "records h1:"}},
		{"donor modified", func(p *project, proxy string) {
			write(t, filepath.Join(p.base, "test/t.go"), "// run\n\npackage main // changed\n", 0o644)
		}, []string{"donor GOROOT ", "are not pristine go1.99.3's", "modified file: test/t.go"}},
		{"donor version", func(p *project, proxy string) {
			write(t, filepath.Join(p.base, "VERSION"), "go1.99.2\n", 0o644)
		}, []string{"is go1.99.2; the base takes api/, misc/, test/ from a pristine go1.99.3 (set GOROOT_DONOR to one)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, proxy := assembledProject(t)
			os.RemoveAll(filepath.Join(p.dir, "base"))
			p.edit("src/c/c.go", "package c\n\nvar Work = 1\n")
			p.commit("c: work in progress")
			p.edit("src/a/a.go", "package a // precious\n")
			head := p.git("rev-parse", "HEAD")
			tc.break_(p, proxy)
			p.mustFail(tc.want, "./make.bash")
			if got := p.git("rev-parse", "HEAD"); got != head {
				t.Errorf("make.bash moved go/ from %s to %s", head, got)
			}
			if b, _ := os.ReadFile(filepath.Join(p.dir, "go/src/a/a.go")); string(b) != "package a // precious\n" {
				t.Errorf("make.bash changed go/src/a/a.go to %q", b)
			}
			if ents, _ := os.ReadDir(filepath.Join(p.dir, "base")); len(ents) > 1 || len(ents) == 1 && ents[0].Name() != "modcache" {
				t.Errorf("make.bash left %v in base/; want no assembled base", ents)
			}
		})
	}

	// An assembled base changed afterwards is refused, with what to do.
	t.Run("assembled modified", func(t *testing.T) {
		p, _ := assembledProject(t)
		write(t, filepath.Join(p.dir, "base/go1.99.4/src/b/b.go"), "package b // changed\n", 0o644)
		p.mustFail([]string{"not pristine go1.99.4", "modified file: src/b/b.go", "remove it and run ./make.bash"}, "./make.bash")
	})
}

// TestMove moves a project from the recorded go1.99.4 base to go1.99.5 with
// ci/patches move, whose release changes the file the series edits.
func TestMove(t *testing.T) {
	p, proxy := assembledProject(t)
	p.mustRun("./make.bash")
	p.mustRun("ci/patches", "extract")

	// Arguments and preconditions, checked before anything is done.
	p.mustFail([]string{"go1.99.3 is not later than the base go1.99.4"}, "ci/patches", "move", "go1.99.3")
	p.mustFail([]string{"go1.100.1 is not a point release of go1.99 (the base is go1.99.4)", "docs/maintaining.md"}, "ci/patches", "move", "go1.100.1")
	p.mustFail([]string{"usage: ci/patches move [-notest] goX.Y.Z"}, "ci/patches", "move")
	p.edit("src/a/a.go", "package a // work\n")
	p.mustFail([]string{"go/ must match patches/ with no work of its own"}, "ci/patches", "move", "-notest", "go1.99.5")
	p.git("checkout", "--", "src/a/a.go")
	// Recording a base needs the checksum database, which the go command
	// does not consult with a file:// GOPROXY.
	p.mustFail([]string{"is a single file:// URL", "checksum database"}, "ci/patches", "move", "-notest", "go1.99.5")
	p.env = append(p.env, "SCHEDX_TEST_NO_SUMDB=1")
	// A release the proxy does not have.
	p.mustFail([]string{"cannot download golang.org/toolchain@" + moduleVersion("go1.99.5")}, "ci/patches", "move", "-notest", "go1.99.5")
	if b, _ := os.ReadFile(filepath.Join(p.dir, "VERSION")); string(b) != "go1.99.4-schedx.1\n" {
		t.Errorf("a failed move changed VERSION to %q", b)
	}

	writeModule(t, proxy, "go1.99.5", moduleFiles("go1.99.5", "// go1.99.5\n//\n"))
	out := p.mustRun("ci/patches", "move", "-notest", "go1.99.5")
	if !strings.Contains(out, "moved the base to go1.99.5 (go1.99.5-schedx.1)") {
		t.Errorf("ci/patches move output:\n%s", out)
	}
	if b, _ := os.ReadFile(filepath.Join(p.dir, "VERSION")); string(b) != "go1.99.5-schedx.1\n" {
		t.Errorf("VERSION after the move = %q", b)
	}
	if got := p.mustRun("go/bin/go", "version"); !strings.Contains(got, "go1.99.5-schedx.1") {
		t.Errorf("built go version = %q", got)
	}
	if out := p.mustRun("ci/patches", "check"); strings.Contains(out, "another base") {
		t.Errorf("ci/patches check after the move:\n%s", out)
	}
	p.mustRun("ci/base-provenance.bash")
	prov, _ := os.ReadFile(filepath.Join(p.dir, "ci/base-provenance.txt"))
	if !strings.Contains(string(prov), "\nbase go1.99.5\n") || !strings.Contains(string(prov), "\ndonor go1.99.3 api misc test\n") {
		t.Errorf("ci/base-provenance.txt after the move:\n%s", prov)
	}
	if patch := p.readPatches()["0004-e-return-five.patch"]; !strings.Contains(patch, "@@ -8,5 +8,5 @@") {
		t.Errorf("patches/ not extracted on go1.99.5:\n%s", patch)
	}
	report, err := os.ReadFile(filepath.Join(p.dir, "docs/rebase/go1.99.5.md"))
	if err != nil || !strings.Contains(string(report), "## Moved") || !strings.Contains(string(report), "| `0004-e-return-five` | clean |") {
		t.Errorf("docs/rebase/go1.99.5.md: %v\n%s", err, report)
	}
}

// TestBaseProvenance checks the project's own ci/base-provenance.txt against
// ci/base-manifest.txt and recomputes the module's h1: hash from it
// (ci/base-provenance.bash, offline).
func TestBaseProvenance(t *testing.T) {
	root := repoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "ci/base-provenance.txt")); err != nil {
		t.Skip("no ci/base-provenance.txt: the base is one whole release")
	}
	cmd := exec.Command(filepath.Join(root, "ci/base-provenance.bash"))
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ci/base-provenance.bash: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
