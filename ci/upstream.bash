#!/usr/bin/env bash
# ci/upstream.bash: the full upstream test suite (go tool dist test) on the
# fork and, for comparison, on the pristine base, so that a failure the fork
# causes can be told from one the sandbox causes (no network, 2 cores).
#
#   ci/upstream.bash [-fork] [-base] [-nomake] [-godebug V] [-o DIR] [-- dist test flags and tests]
#
# With neither -fork nor -base it runs both, the base first. The fork is
# built with ./make.bash first, unless -nomake says that go/ is built
# already from patches/ (ci/patches check must pass). -godebug sets
# GODEBUG=V for both runs (the base ignores settings it does not know), for
# the parity runs in a scheduler mode, for example:
#
#   ci/upstream.bash -godebug schedmode=priority -- \
#       -run '^(runtime|runtime:cpu124|sync|time|net|os/signal|context)$'
# Results go to
# DIR (default upstream-results/YYYYMMDD-HHMMSS, git-ignored):
#   fork.json, base.json   test2json events of each run (dist test -json)
#   fork.log, base.log     dist's own output
#   summary.txt            suitediff: what fails on the fork only, on both, ...
# It takes about an hour per run on a 2-core machine; it is not part of CI.
# Both run in scratch copies (the fork's made after ./make.bash), so the real
# base GOROOT is never written and go/ may be edited and rebuilt meanwhile;
# the fork's version, series hash and patches are recorded in DIR/series.txt.
set -uo pipefail
SCHEDX_PROG=ci/upstream.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SCHEDX_ROOT"

runfork=0 runbase=0 godebug= nomake=0
out=upstream-results/$(date -u +%Y%m%d-%H%M%S)
while [ $# -gt 0 ]; do
	case $1 in
	-fork) runfork=1 ;;
	-base) runbase=1 ;;
	-nomake) nomake=1 ;;
	-o) out=$2; shift ;;
	-godebug) godebug=$2; shift ;;
	--) shift; break ;;
	*) die "unknown flag $1 (usage: ci/upstream.bash [-fork] [-base] [-nomake] [-godebug V] [-o DIR] [-- dist test args])" ;;
	esac
	shift
done
if [ $runfork -eq 0 ] && [ $runbase -eq 0 ]; then
	runfork=1 runbase=1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

base=$(find_base)
verify_base "$base"

# suite NAME GOROOT [args] runs dist test in GOROOT and records the results.
suite() {
	local name=$1 goroot=$2 start rc
	shift 2
	note "running ${godebug:+GODEBUG=$godebug }go tool dist test -k -json $* in $goroot ($name); results in $out/$name.json"
	start=$SECONDS
	(cd "$goroot/src" && env -u GOROOT -u GOFLAGS -u GODEBUG ${godebug:+GODEBUG=$godebug} PATH="$goroot/bin:$PATH" GOTOOLCHAIN=local \
		"$goroot/bin/go" tool dist test -k -json "$@") >"$out/$name.json" 2>"$out/$name.log"
	rc=$?
	note "$name: dist test exited $rc after $(((SECONDS - start) / 60)) min"
	echo "$rc" >"$out/$name.exit"
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if [ $runfork -eq 1 ]; then
	# Copy the fork before running the base, so that the fork run is of the
	# series as it was when this script started.
	if [ $nomake -eq 1 ]; then
		[ -x "$SCHEDX_GO/bin/go" ] || die "-nomake: $SCHEDX_GO/bin/go missing; run ./make.bash"
		ci/patches check >/dev/null || die "-nomake: go/ does not match patches/ (ci/patches check)"
	else
		./make.bash >"$out/make.log" 2>&1 || { cat "$out/make.log" >&2; die "make.bash failed"; }
	fi
	{ echo "$(fork_version), series $(cat "$SCHEDX_PATCHES"/*.patch | sha256sum | cut -c1-16)"; git -C "$SCHEDX_GO" log --format='%h %s' "$(git -C "$SCHEDX_GO" rev-list --max-parents=0 HEAD)..HEAD"; } >"$out/series.txt"
	note "copying the fork to $scratch/fork/go (dist test writes into its GOROOT)"
	mkdir -p "$scratch/fork"
	cp -a "$SCHEDX_GO" "$scratch/fork/go"
fi
if [ $runbase -eq 1 ]; then
	note "copying the base to $scratch/base/go (dist test writes into its GOROOT)"
	mkdir -p "$scratch/base"
	cp -a "$base" "$scratch/base/go"
	suite base "$scratch/base/go" "$@"
	rm -rf "$scratch/base"
fi
if [ $runfork -eq 1 ]; then
	suite fork "$scratch/fork/go" "$@"
fi

if [ -f "$out/fork.json" ] && [ -f "$out/base.json" ]; then
	(cd ci && env -u GOROOT PATH="$base/bin:$PATH" GOTOOLCHAIN=local go run ./cmd/suitediff \
		"$out/fork.json" "$out/base.json") | tee "$out/summary.txt"
	exit "${PIPESTATUS[0]}"
fi
