package toolchain

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"schedx.example/test/internal/forkenv"
)

// The tests in this file build two tools that read the Go version of the
// toolchain they run with, gopls and govulncheck, at pinned versions from
// the module proxy, and run them with the fork's go on PATH (the GOROOT swap).
// They need the module proxy and the checksum database; -short skips them.

const (
	goplsVersion = "v0.23.0" // golang.org/x/tools/gopls
	vulnVersion  = "v1.10.0" // golang.org/x/vuln
)

// installTool builds pkg@version with the fork's go into a directory of
// its own and returns the binary's path.
func installTool(t *testing.T, pkg, version string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("needs the module proxy; skipped in -short mode")
	}
	bin := t.TempDir()
	cmd := goCmd(t, bin, "install", pkg+"@"+version)
	cmd.Env = append(cmd.Env, "GOBIN="+bin, "GOPROXY="+forkenv.Proxy(), "GOFLAGS=")
	run(t, cmd)
	return filepath.Join(bin, filepath.Base(pkg))
}

// toolCmd runs a tool built by installTool in dir, with the environment
// goCmd gives the go command (the fork first on PATH, no network), so that
// the tool's own go invocations run the fork.
func toolCmd(t *testing.T, dir, tool string, args ...string) *exec.Cmd {
	cmd := goCmd(t, dir)
	cmd.Path, cmd.Args = tool, append([]string{tool}, args...)
	cmd.Env = append(cmd.Env, "GOTOOLCHAIN=local", "GOFLAGS=")
	return cmd
}

// TestGopls checks that gopls built by the fork, driving the fork's go
// command, type-checks with the language version of the go.mod go line
// and the file's //go:build line, and reports the fork's version.
//
// gopls derives the toolchain's release from the go1.N build tags (go list
// -f {{context.ReleaseTags}}), which the fork leaves as go1.26, and shows
// the string of `go version` where it shows one (it matches go\S+).
func TestGopls(t *testing.T) {
	gopls := installTool(t, "golang.org/x/tools/gopls", goplsVersion)

	// new(expr) is a Go 1.26 language change.
	const newExpr = "package p\n\nvar P = new(42)\n"
	for _, tc := range []struct {
		goLine, file string
		want         string // "" for no diagnostics
	}{
		{"1.26", newExpr, ""},
		{"1.25", newExpr, "requires go1.26 or later"},
		{"1.25", "//go:build go1.26\n\n" + newExpr, ""},
	} {
		dir := writeModule(t, map[string]string{
			"go.mod": "module example.com/p\n\ngo " + tc.goLine + "\n",
			"p.go":   tc.file,
		})
		out, err := toolCmd(t, dir, gopls, "check", "p.go").CombinedOutput()
		switch {
		case tc.want == "" && (err != nil || len(out) > 0):
			t.Errorf("gopls check, go %s module, file:\n%s\nerr=%v, output:\n%s\nwant no diagnostics", tc.goLine, tc.file, err, out)
		case tc.want != "" && !strings.Contains(string(out), tc.want):
			t.Errorf("gopls check, go %s module, file:\n%s\nerr=%v, output:\n%s\nwant a diagnostic saying %q", tc.goLine, tc.file, err, out, tc.want)
		}
	}

	dir := writeModule(t, map[string]string{
		"go.mod":  "module example.com/p\n\ngo 1.26\n",
		"main.go": "package main\n\nfunc main() {}\n",
	})
	cmd := toolCmd(t, dir, gopls, "stats", "-anon")
	cmd.Stderr = nil
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gopls stats -anon: %v\n%s", err, out)
	}
	var stats struct {
		GoVersion    string
		GoplsVersion string
		BugReports   []json.RawMessage
	}
	if err := json.Unmarshal(out, &stats); err != nil {
		t.Fatalf("gopls stats -anon: %v\n%s", err, out)
	}
	// gopls reads the Go version from "go env GOVERSION": the base release.
	if stats.GoVersion != forkenv.BaseVersion(t) || stats.GoplsVersion != goplsVersion || len(stats.BugReports) != 0 {
		t.Errorf("gopls stats -anon: GoVersion %q, GoplsVersion %q, %d bug reports; want %q, %q, none",
			stats.GoVersion, stats.GoplsVersion, len(stats.BugReports), forkenv.BaseVersion(t), goplsVersion)
	}
}

// TestGovulncheckStdlib runs govulncheck against a local vulnerability
// database (the public one, vuln.go.dev, is not reachable from CI) holding
// two made-up standard library vulnerabilities in net/http.ListenAndServe,
// on a program that calls it: GO-2099-0001, fixed in the point release after
// the base (go1.26.12 for go1.26.11), which the base has, and GO-2099-0002,
// fixed in the base release itself (as the fixes of go1.26.9-go1.26.11 are),
// which it does not.
//
// A schedx toolchain reports the upstream release it implements as its Go
// version (runtime.Version, "go env GOVERSION", the build info's GoVersion;
// see internal/buildcfg/schedx.go in the fork), so govulncheck must report
// for the fork exactly what it reports for stock Go of the base release, in
// source scans and in binary scans. x/vuln's internal/semver.GoTagToSemver
// (the same in v1.4.0 and v1.10.0) takes only go1.X.Y, go1.XbetaN, go1.XrcN
// and go1.X.Y-preN: if the fork reported its name, govulncheck would find
// no standard library version and report no standard library vulnerability
// at all, a false "clean" this test would catch.
func TestGovulncheckStdlib(t *testing.T) {
	govulncheck := installTool(t, "golang.org/x/vuln/cmd/govulncheck", vulnVersion)
	base, next := forkenv.BaseVersion(t), forkenv.NextVersion(t)
	db := writeVulnDB(t, map[string]string{"GO-2099-0001": next, "GO-2099-0002": base})
	dir := writeModule(t, map[string]string{
		"go.mod": "module example.com/srv\n\ngo 1.26\n",
		"main.go": `package main

import "net/http"

func main() { http.ListenAndServe(":0", nil) }
`,
	})

	// found returns the IDs of the made-up vulnerabilities govulncheck
	// reported, in order; exit status 3 means it found some.
	found := func(cmd *exec.Cmd) string {
		t.Helper()
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		switch {
		case err == nil:
			return ""
		case errors.As(err, &ee) && ee.ExitCode() == 3:
			var ids []string
			for _, id := range []string{"GO-2099-0001", "GO-2099-0002"} {
				if strings.Contains(string(out), "Vulnerability #1: "+id) || strings.Contains(string(out), "Vulnerability #2: "+id) {
					ids = append(ids, id)
				}
			}
			return strings.Join(ids, " ")
		}
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
		return ""
	}
	scan := []string{"-db", "file://" + db, "./..."}
	const want = "GO-2099-0001" // fixed after the base, so the base has it

	// The control: stock Go of the base release on PATH.
	stock := toolCmd(t, dir, govulncheck, scan...)
	goroot := forkenv.BaseGOROOT(t)
	stock.Env = append(stock.Env, "GOROOT="+goroot, "PATH="+filepath.Join(goroot, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
	if got := found(stock); got != want {
		t.Fatalf("govulncheck with stock %s reported %q, want %q: the test database is wrong", base, got, want)
	}
	if got := found(toolCmd(t, dir, govulncheck, scan...)); got != want {
		t.Errorf("govulncheck with %s reported %q, want %q as for stock %s", forkenv.Version(t), got, want, base)
	}

	// Binary scans: the same program built by stock and by the fork.
	stockBuild := exec.Command(filepath.Join(goroot, "bin", "go"), "build", "-o", "srv.stock", ".")
	stockBuild.Dir, stockBuild.Env = dir, append(forkenv.Environ(), "GOROOT="+goroot, "GOTOOLCHAIN=local", "GOPROXY=off")
	run(t, stockBuild)
	run(t, goCmd(t, dir, "build", "-o", "srv.fork", "."))
	binScan := func(bin string) *exec.Cmd {
		return toolCmd(t, dir, govulncheck, "-db", "file://"+db, "-mode", "binary", bin)
	}
	if got := found(binScan("srv.stock")); got != want {
		t.Errorf("govulncheck -mode binary reported %q in a %s binary, want %q", got, base, want)
	}
	if got := found(binScan("srv.fork")); got != want {
		t.Errorf("govulncheck -mode binary reported %q in a %s binary, want %q as for stock %s", got, forkenv.Version(t), want, base)
	}
	// With a GOEXPERIMENT the Go version carries a suffix (go1.26.11-X:...
	// since go1.26), for stock Go and the fork alike; govulncheck reads it
	// the same way for both.
	expBuild := func(g, out string) {
		cmd := exec.Command(filepath.Join(g, "bin", "go"), "build", "-o", out, ".")
		cmd.Dir, cmd.Env = dir, append(forkenv.Environ(), "GOROOT="+g, "GOTOOLCHAIN=local", "GOPROXY=off", "GOEXPERIMENT=fieldtrack")
		run(t, cmd)
	}
	expBuild(goroot, "srv.stock.exp")
	expBuild(forkenv.GOROOT(t), "srv.fork.exp")
	if s, f := found(binScan("srv.stock.exp")), found(binScan("srv.fork.exp")); s != f {
		t.Errorf("GOEXPERIMENT=fieldtrack: govulncheck -mode binary reported %q in a %s binary and %q in a %s binary; want the same", s, base, f, forkenv.Version(t))
	}
}

// writeVulnDB writes a vulnerability database in the v1 layout
// (https://go.dev/security/vuln/database) with one standard library entry
// per ID in fixed, each in net/http.ListenAndServe and fixed in the given
// release (goX.Y.Z).
func writeVulnDB(t *testing.T, fixed map[string]string) string {
	const modified = "2026-11-01T00:00:00Z"
	files := map[string]string{"index/db.json": `{"modified":"` + modified + `"}`}
	var mods, vulns []string
	for _, id := range []string{"GO-2099-0001", "GO-2099-0002"} {
		v, ok := fixed[id]
		if !ok {
			continue
		}
		v = strings.TrimPrefix(v, "go")
		files["ID/"+id+".json"] = `{"schema_version":"1.3.1","id":"` + id + `","modified":"` + modified + `","published":"` + modified + `",` +
			`"details":"A made-up vulnerability for the schedx toolchain tests.",` +
			`"database_specific":{"url":"https://pkg.go.dev/vuln/` + id + `"},` +
			`"affected":[{"package":{"name":"stdlib","ecosystem":"Go"},` +
			`"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"` + v + `"}]}],` +
			`"ecosystem_specific":{"imports":[{"path":"net/http","symbols":["ListenAndServe"]}]}}]}`
		mods = append(mods, `{"id":"`+id+`","modified":"`+modified+`","fixed":"`+v+`"}`)
		vulns = append(vulns, `{"id":"`+id+`","modified":"`+modified+`"}`)
	}
	files["index/modules.json"] = `[{"path":"stdlib","vulns":[` + strings.Join(mods, ",") + `]}]`
	files["index/vulns.json"] = `[` + strings.Join(vulns, ",") + `]`
	return writeModule(t, files)
}
