#!/usr/bin/env bash
# all.bash: build the fork if needed, then run its tests.
#
#   ./all.bash
#
# Runs, in order, and keeps going after a failure so that one run shows all:
#   - the tooling's own tests (ci/, on a small fake base) and ci/patches check;
#   - black-box tests of the built toolchain (test/toolchain);
#   - the torture program, every feature at once with invariants checked,
#     1s per configuration (test/torture; ci/stress is the long version);
#   - programs that use the scheduler hooks as a user would (test/hooks);
#   - the user tools in misc/ build and pass go vet with the fork, and the
#     schedule exploration example (misc/chaosbug) finds its race;
#   - the live view (ci/viewcheck.bash): schedtop against a running demo
#     service, and in tmux and headless Chromium where they are installed;
#   - a smoke pass of the benchmark pipeline (bench/smoke.bash);
#   - upstream's tests of what the patches touch: go test -short of runtime,
#     runtime/debug, runtime/metrics, runtime/trace, runtime/pprof,
#     internal/trace, cmd/trace, sync, time and cmd/compile/internal/ssa, go/test's -d=probes programs, inlining
#     tests and asmcheck tests (cmd/internal/testdir), and the API and release-note checks
#     (cmd/api -check, cmd/relnote -check) that fail when a patch adds
#     exported API without api/next and doc/next entries;
#   - the GOTOOLCHAIN install (test/install): ci/release's module files,
#     served from a file:// GOPROXY, downloaded and run by a stock go;
#   - every port builds (test/ports): std, cmd/compile and bench/ for
#     linux/arm64, darwin/arm64, windows/amd64, linux/386, linux/riscv64,
#     linux/ppc64le and wasip1/wasm, and go vet of what the patches touch.
# It ends with one line "all.bash: N passed, N failed" and exits non-zero if
# anything failed. The full upstream suite is ci/upstream.bash (hours).
set -uo pipefail
SCHEDX_PROG=all.bash
source "$(dirname "${BASH_SOURCE[0]}")/ci/lib.sh"
cd "$SCHEDX_ROOT"

./make.bash || die "make.bash failed"
base=$(find_base)

# The fork's go for upstream tests, as a user runs it after the GOROOT swap.
fork_env=(env -u GOROOT PATH="$SCHEDX_GO/bin:$PATH" GOTOOLCHAIN=local)
# The base go for the project's own Go modules (ci/, test/), so that they
# test the fork from outside rather than with it.
base_env=(env -u GOROOT PATH="$base/bin:$PATH" GOTOOLCHAIN=local)

passed=0
failed=0
failures=()

# step NAME CMD... runs one step and records its result.
step() {
	local name=$1 start rc
	shift
	echo
	echo "##### $name"
	start=$SECONDS
	"$@"
	rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		echo "##### $name: ok ($((SECONDS - start))s)"
	else
		failed=$((failed + 1))
		failures+=("$name")
		echo "##### $name: FAILED (exit $rc, $((SECONDS - start))s)"
	fi
}

step "ci/patches check" ci/patches check
step "tooling tests (ci/)" bash -c 'cd ci && "$@" go test -count=1 ./...' _ "${base_env[@]}"
step "toolchain tests (test/toolchain)" bash -c 'cd test && "$@" go test -count=1 ./toolchain' _ "${base_env[@]}"
step "torture program (test/torture)" bash -c 'cd test && "$@" go test -short -count=1 -v ./torture' _ "${base_env[@]}"
step "hooks programs (test/hooks)" bash -c 'cd test && "$@" go test -short -count=1 -v ./hooks' _ "${base_env[@]}"
# misc/ uses the fork's API (runtime.SetGoroutinePriority, ...), so the fork's go.
step "user tools build and vet (misc/)" \
	bash -c 'cd misc && "$@" go vet ./...' _ "${fork_env[@]}"
# The schedule exploration example finds its race as its comment says.
step "schedule exploration example (misc/chaosbug)" \
	bash -c 'cd misc && "$@" go test -count=1 -v ./chaosbug' _ "${fork_env[@]}"
# The live view as a user meets it: schedtop's frame, and in tmux and
# headless Chromium where they are installed (skipped with a message
# where they are not).
step "live view (ci/viewcheck.bash)" ci/viewcheck.bash
step "benchmark pipeline smoke (bench/smoke.bash)" \
	env GOROOT_BASE="$base" SCHEDX_GOROOT="$SCHEDX_GO" bench/smoke.bash
step "upstream: go test -short (runtime, sync, time, trace, pprof, ssa)" \
	"${fork_env[@]}" go test -short -timeout=20m \
	runtime runtime/debug runtime/metrics runtime/trace runtime/pprof internal/trace cmd/trace \
	sync time cmd/compile/internal/ssa
# The compiler probes' tests in go/test (run by cmd/internal/testdir, which
# dist test runs in full): the programs with -d=probes, and their asmcheck
# tests for every architecture they name; and go/test's inlining tests,
# inline_sync.go among them, which fails if a patch makes sync.Mutex's fast
# paths too costly for a function that only calls them to be inlined.
step "upstream: go/test probe, inlining and codegen tests (cmd/internal/testdir)" \
	bash -c '"$@" go test -count=1 -timeout=10m cmd/internal/testdir -run "Test/(probes|inline)" &&
		"$@" go test -count=1 -timeout=10m cmd/internal/testdir -run "Test/codegen/probes" -all_codegen' _ "${fork_env[@]}"
step "upstream: API check (cmd/api -check)" \
	"${fork_env[@]}" go test -count=1 -timeout=10m cmd/api -check
step "upstream: release note check (cmd/relnote -check)" \
	"${fork_env[@]}" go test -count=1 -timeout=5m cmd/relnote -check
step "GOTOOLCHAIN install from a file:// GOPROXY (test/install)" \
	bash -c 'cd test && "$@" go test -count=1 -timeout=20m ./install' _ "${base_env[@]}"
step "cross-port builds and vet (test/ports)" \
	bash -c 'cd test && "$@" go test -count=1 -timeout=45m -v ./ports' _ "${base_env[@]}"

echo
for f in "${failures[@]}"; do
	echo "FAILED: $f"
done
echo "all.bash: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
