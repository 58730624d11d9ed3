#!/usr/bin/env bash
# ci/qemu-arm64.bash: run upstream's short runtime tests of the fork for
# linux/arm64 under qemu user-mode emulation, on an amd64 machine.
#
#   ci/qemu-arm64.bash [-base] [PACKAGE ...] [-- test binary flags]
#
# Needs qemu-aarch64-static (Debian: apt-get install qemu-user-static); not
# part of CI (all.bash only cross-compiles arm64, in test/ports). For each
# PACKAGE (default: runtime runtime/debug) it cross-compiles the test binary
# with the fork's go and runs it with -test.short under qemu. With -base it
# runs the same binaries built by the pristine base first, so a failure can
# be told from one that qemu causes.
#
# qemu-user emulates one process: a test that starts another arm64 program
# (a testprog built by go build, or the test binary itself) gets "exec format
# error" unless the kernel hands arm64 binaries to qemu (binfmt_misc, which
# containers usually lack). GO_GCFLAGS is set so that internal/testenv
# reports "go build" as unavailable and those tests skip rather than fail;
# tests that re-execute the test binary still fail on such a machine, which
# -base shows (13 tests of runtime and runtime/debug on 2026-11-23; see
# docs/maintaining.md). Run it on an otherwise idle machine: one attempt at
# nice 19 on a saturated machine hung in the first such test.
set -uo pipefail
SCHEDX_PROG=ci/qemu-arm64.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SCHEDX_ROOT"

qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
[ -n "$qemu" ] || die "no qemu-aarch64-static on PATH (Debian: apt-get install qemu-user-static)"
runbase=0
pkgs=()
while [ $# -gt 0 ]; do
	case $1 in
	-base) runbase=1 ;;
	--) shift; break ;;
	-*) die "unknown flag $1 (usage: ci/qemu-arm64.bash [-base] [PACKAGE ...] [-- test flags])" ;;
	*) pkgs+=("$1") ;;
	esac
	shift
done
[ ${#pkgs[@]} -gt 0 ] || pkgs=(runtime runtime/debug)

./make.bash >/dev/null || die "make.bash failed"
base=$(find_base)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# runtests NAME GOROOT runs each package's tests built by GOROOT's go.
failed=0
runtests() {
	local name=$1 goroot=$2 pkg bin start
	for pkg in "${pkgs[@]}"; do
		bin=$tmp/$name-${pkg//\//_}.test
		env -u GOROOT -u GOFLAGS GOTOOLCHAIN=local GOOS=linux GOARCH=arm64 CGO_ENABLED=0 \
			"$goroot/bin/go" test -c -o "$bin" "$pkg" || die "$name: cannot build the linux/arm64 test binary of $pkg"
		note "$name: $pkg: go test -short under $qemu"
		start=$SECONDS
		# Run in the package's directory, as go test does (tests read testdata/).
		if (cd "$goroot/src/$pkg" && env -u GOFLAGS GOROOT="$goroot" GO_GCFLAGS=-qemu GOTOOLCHAIN=local \
			"$qemu" "$bin" -test.short -test.timeout=30m "$@"); then
			note "$name: $pkg: ok ($((SECONDS - start))s)"
		else
			note "$name: $pkg: FAILED ($((SECONDS - start))s)"
			failed=1
		fi
	done
}

if [ $runbase -eq 1 ]; then
	runtests base "$base" "$@"
fi
runtests fork "$SCHEDX_GO" "$@"
exit $failed
