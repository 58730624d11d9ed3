#!/usr/bin/env bash
# probeworkload.bash: the slowdown of the bench/ workloads (workload/: GC
# churn, HTTP, JSON, pipeline) when every function of the module has the
# schedx compiler's entry and exit probes.
#
#   bench/probeworkload.bash [-count N] [-kinds KINDS] [-pkgs PATTERN] [-o DIR] [GOROOT]
#
# GOROOT is the schedx toolchain (default ../go). It builds the workload
# test binary twice, without probes and with
# -gcflags=PATTERN=-d=probes=KINDS (default entry+exit, and
# schedx.example/bench/..., the module's packages; -pkgs all instruments
# std too, which the compiler allows for every package but the runtime's),
# and runs four configurations, interleaved with a rotating order, -count
# rounds (default 10): "plain" and "plain-aa" (the same binary: the A/A
# control), "probes-off" (probes compiled in, recorder stopped: each probe
# is a load and a branch) and "probes-on" (recording, drained every
# millisecond: see workload/probes_record_test.go). DIR (default
# probeworkload-results/YYYYMMDD-HHMMSS) gets the raw results and
# benchstat.txt, each configuration against plain.
set -euo pipefail
cd "$(dirname "$0")"

count=10 kinds=entry+exit pkgs=schedx.example/bench/...
out=probeworkload-results/$(date -u +%Y%m%d-%H%M%S)
while [ $# -gt 0 ]; do
	case $1 in
	-count) count=$2; shift 2 ;;
	-kinds) kinds=$2; shift 2 ;;
	-pkgs) pkgs=$2; shift 2 ;;
	-o) out=$2; shift 2 ;;
	-*) echo "unknown flag $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
goroot=$(cd "${1:-../go}" && pwd)
mkdir -p "$out"
gocmd=(env -u GOROOT -u GOFLAGS PATH="$goroot/bin:$PATH" GOTOOLCHAIN=local)
"${gocmd[@]}" go test -c -o "$out/plain.test" ./workload
"${gocmd[@]}" go test -c -tags schedx_probes -gcflags="$pkgs=-d=probes=$kinds" \
	-o "$out/probes.test" ./workload

configs=(plain plain-aa probes-off probes-on)
run() {
	case $1 in
	plain | plain-aa) "$out/plain.test" "${@:2}" ;;
	probes-off) "$out/probes.test" "${@:2}" ;;
	probes-on) SCHEDX_PROBES_RECORD=1 "$out/probes.test" "${@:2}" ;;
	esac
}
echo "probeworkload: $("$goroot/bin/go" version), probes $kinds in $pkgs, $count rounds; results in $out"
for ((r = 0; r < count; r++)); do
	for ((k = 0; k < ${#configs[@]}; k++)); do
		c=${configs[$(((r + k) % ${#configs[@]}))]}
		{
			echo "config: $c"
			run "$c" -test.run='^$' -test.bench=. -test.benchtime=300ms -test.benchmem
		} >>"$out/$c.txt"
	done
	echo "round $((r + 1)) done"
done
go tool benchstat -ignore config "$out/plain.txt" "$out/plain-aa.txt" "$out/probes-off.txt" "$out/probes-on.txt" |
	tee "$out/benchstat.txt"
