#!/usr/bin/env bash
# Interleaved A/B/A' run of the scheduler-bound benchmarks: stock go1.26.8,
# the fork in default mode, and stock again (A/A control). Run from a
# schedx checkout whose go/ is built (./make.bash), on a quiet machine:
#   docs/perf/scheduler-modes/ab.sh OUTDIR [rounds]
# then benchstat OUTDIR/stock.txt OUTDIR/fork.txt OUTDIR/stock2.txt
set -euo pipefail
out=$1 rounds=${2:-10}
root=$(cd "$(dirname "$0")/../../.." && pwd) # the schedx checkout; the fork is $root/go
stock=${GOROOT_BASE:-/usr/local/go}
mkdir -p "$out"
rt='^Benchmark(PingPongHog|CreateGoroutines|CreateGoroutinesParallel|CreateGoroutinesCapture|CreateGoroutinesSingle|ChanSync|ChanProdCons0|ChanProdCons10|ChanProdCons100|ChanProdConsWork0|ChanProdConsWork10|ChanProdConsWork100|WakeupParallelSpinning|WakeupParallelSyscall)$'
sy='^Benchmark(Mutex|MutexUncontended|MutexSlack|MutexWork|MutexWorkSlack|MutexNoSpin|MutexSpin|MutexHandoff|RWMutexUncontended|RWMutexWrite100|WaitGroupUncontended|WaitGroupAddDone|WaitGroupAddDoneWork|WaitGroupWait|WaitGroupWaitWork|WaitGroupActuallyWait)$'
for tc in "stock:$stock" "fork:$root/go"; do
	name=${tc%%:*} root=${tc#*:}
	for pkg in runtime sync; do
		[ -x "$out/$name-$pkg.test" ] || env -u GOFLAGS GOROOT=$root GOTOOLCHAIN=local "$root/bin/go" test -c -o "$out/$name-$pkg.test" $pkg
	done
done
: >"$out/stock.txt"; : >"$out/fork.txt"; : >"$out/stock2.txt"
for i in $(seq 1 "$rounds"); do
	for cfg in stock fork stock2; do
		bin=${cfg%2}
		"$out/$bin-runtime.test" -test.run='^$' -test.bench="$rt" -test.benchtime=100ms -test.count=1 | grep -E '^(Benchmark|goos|goarch|pkg|cpu)' >>"$out/$cfg.txt"
		"$out/$bin-sync.test" -test.run='^$' -test.bench="$sy" -test.benchtime=100ms -test.count=1 | grep -E '^(Benchmark|goos|goarch|pkg|cpu)' >>"$out/$cfg.txt"
	done
	echo "round $i done $(date +%T)" >&2
done
