#!/usr/bin/env bash
# smoke.bash: a quick pass through the whole benchmark pipeline, so that it
# never rots.
#
#   bench/smoke.bash [DIR]
#
# Runs bench/'s go vet and unit tests, then schedbench run -short -count 1
# of stock Go against the fork: every suite is built with both toolchains
# and a few benchmarks of each run once, then the report (Markdown and SVG
# plots) is written and the raw results are read back with plain benchstat.
# One round measures nothing and gives no verdict; the point is that every
# step works. The results and report go to DIR if given, else to a
# temporary directory that is removed.
#
# Stock Go is $GOROOT_BASE, else the GOROOT of the go command on PATH; the
# fork is $SCHEDX_GOROOT, else go/ next to bench/ (./make.bash builds it).
# The bench module itself is built with stock Go, as all.bash does for ci/
# and test/. Modules may be downloaded from the proxy. It takes no lock of
# its own (all.bash may already hold one): on a shared machine run it under
# flock /tmp/schedx-cpu.lock. Exit status 0 on success.
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() {
	echo "smoke.bash: $*" >&2
	exit 1
}

if [ -n "${GOROOT_BASE:-}" ]; then
	base=$GOROOT_BASE
else
	command -v go >/dev/null 2>&1 || die "no go command on PATH and GOROOT_BASE is not set"
	base=$(env -u GOROOT GOTOOLCHAIN=local go env GOROOT)
fi
fork=${SCHEDX_GOROOT:-$(dirname "$bench")/go}
[ -x "$base/bin/go" ] || die "stock GOROOT $base has no bin/go (set GOROOT_BASE)"
[ -x "$fork/bin/go" ] || die "no built fork at $fork (run ./make.bash)"
case $(head -n 1 "$base/VERSION") in
*-schedx*) die "stock GOROOT $base is the fork; set GOROOT_BASE to stock Go" ;;
esac

if [ $# -gt 0 ]; then
	out=$1
	mkdir -p "$out"
else
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi

go=(env -u GOROOT -u GOFLAGS GOTOOLCHAIN=local "$base/bin/go")
cd "$bench"
start=$SECONDS
echo "smoke.bash: go vet and unit tests"
"${go[@]}" vet ./...
"${go[@]}" test -count=1 ./...

echo "smoke.bash: schedbench run -short -count 1 (stock $base, fork $fork)"
"${go[@]}" run ./cmd/schedbench run -short -count 1 \
	-config "stock=$base" -config "fork=$fork" -report "$out/smoke.md"

echo "smoke.bash: checking the report and the raw results"
grep -q '^\*\*fork vs stock: NO VERDICT\*\*' "$out/smoke.md" || die "$out/smoke.md lacks the verdict line"
for suite in runtime sync time context app compile scenario; do
	grep -q "^## $suite\$" "$out/smoke.md" || die "$out/smoke.md has no results of suite $suite"
done
n=$(find "$out" -name 'smoke-*.svg' | wc -l)
[ "$n" -ge 7 ] || die "$out has $n SVG plots, want at least 7"
"${go[@]}" tool benchstat -table suite -col config -ignore round "$out/smoke.txt" >"$out/benchstat.txt" ||
	die "benchstat cannot read $out/smoke.txt"
grep -q 'PingPongHog' "$out/benchstat.txt" || die "benchstat output lacks PingPongHog"
echo "smoke.bash: ok ($((SECONDS - start))s)"
