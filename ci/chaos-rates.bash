#!/usr/bin/env bash
# chaos-rates.bash: how often the planted logic races of misc/chaosrates,
# and misc/chaosbug's pool race, show over N runs (default 100), with stock Go at GOMAXPROCS 1 and 2, and
# with the fork under GODEBUG=schedchaos=SEED (seeds 1..N, uniform and
# PCT depth 3) with and without the compiler's entry probes; then whether
# the first failing seed of each fails again in 10 runs of 10. Prints a
# markdown table.
#
#	ci/chaos-rates.bash [N]
#
# Needs the fork built (go/bin/go) and a stock Go (STOCK_GO, default
# /usr/local/go/bin/go).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
root=$PWD
fork_go=$root/go/bin/go
stock_go=${STOCK_GO:-/usr/local/go/bin/go}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd misc
env -u GOROOT GOTOOLCHAIN=local "$stock_go" build -o "$tmp/stock" ./chaosrates
env -u GOROOT GOTOOLCHAIN=local "$fork_go" build -o "$tmp/fork" ./chaosrates
env -u GOROOT GOTOOLCHAIN=local "$fork_go" build -gcflags=schedx.example/misc/chaosrates=-d=probes=entry -o "$tmp/fork-probes" ./chaosrates
# misc/chaosbug takes no argument and reports its race as "pool of ...":
# wrap it so that it reads like the others.
for v in stock fork fork-probes; do
	case $v in
	stock) env -u GOROOT GOTOOLCHAIN=local "$stock_go" build -o "$tmp/chaosbug-$v" ./chaosbug ;;
	fork) env -u GOROOT GOTOOLCHAIN=local "$fork_go" build -o "$tmp/chaosbug-$v" ./chaosbug ;;
	fork-probes) env -u GOROOT GOTOOLCHAIN=local "$fork_go" build -gcflags=schedx.example/misc/chaosbug=-d=probes=entry -o "$tmp/chaosbug-$v" ./chaosbug ;;
	esac
	printf '#!/bin/sh\n"%s" 2>&1 | sed "s/^pool of.*/BUG/"\n' "$tmp/chaosbug-$v" > "$tmp/$v-pool"
	chmod +x "$tmp/$v-pool"
done

# count BIN PROG ENV...: the runs of N that print BUG; with SEEDED set,
# run i gets GODEBUG=schedchaos=i plus $EXTRA.
count() {
	local bin=$1 prog=$2 procs=$3 seeded=$4 extra=$5 c=0 i
	for i in $(seq "$n"); do
		local godebug=""
		if [ "$seeded" = 1 ]; then godebug="schedchaos=$i$extra"; fi
		if GOMAXPROCS=$procs GODEBUG=$godebug "$bin" "$prog" 2>/dev/null | grep -q '^BUG'; then
			c=$((c + 1))
		fi
	done
	echo "$c"
}

# replays BIN PROG EXTRA: "seed S: R/10" for the first failing seed.
replays() {
	local bin=$1 prog=$2 extra=$3 i r=0
	for i in $(seq "$n"); do
		if GOMAXPROCS=1 GODEBUG="schedchaos=$i$extra" "$bin" "$prog" 2>/dev/null | grep -q '^BUG'; then
			for _ in $(seq 10); do
				if GOMAXPROCS=1 GODEBUG="schedchaos=$i$extra" "$bin" "$prog" 2>/dev/null | grep -q '^BUG'; then
					r=$((r + 1))
				fi
			done
			echo "seed $i: $r/10"
			return
		fi
	done
	echo "none failed"
}

echo "| planted race | stock, 1 P | stock, 2 P | chaos, 1 P | chaos+probes, 1 P | chaos+probes, 2 P | PCT d=3 +probes, 1 P | replay (chaos+probes, 1 P) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for prog in CheckThenAct LostWakeup SendClose WaitGroupReuse pool; do
	s=$tmp/stock f=$tmp/fork fp=$tmp/fork-probes
	if [ $prog = pool ]; then
		s=$tmp/stock-pool f=$tmp/fork-pool fp=$tmp/fork-probes-pool
	fi
	echo "| $prog" \
		"| $(count "$s" $prog 1 0 "")" \
		"| $(count "$s" $prog 2 0 "")" \
		"| $(count "$f" $prog 1 1 "")" \
		"| $(count "$fp" $prog 1 1 "")" \
		"| $(count "$fp" $prog 2 1 "")" \
		"| $(count "$fp" $prog 1 1 ",schedchaospct=3")" \
		"| $(replays "$fp" $prog "") |"
done
echo
echo "(runs of $n; chaos runs use seeds 1 to $n; $(date -u +%Y-%m-%d), $("$fork_go" version))"
