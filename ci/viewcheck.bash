#!/usr/bin/env bash
# ci/viewcheck.bash: check the scheduler's live view as a user meets it: the
# page in a browser and schedtop in a terminal, against a running service.
#
#   ci/viewcheck.bash [-o DIR] [-wait SECONDS]
#
# It builds misc/schedview-demo (High, Normal and Low goroutines, groups web
# and batch, batch limited to 25%, the priority+fair mode; it serves the
# view of package sched/view on 127.0.0.1) and sched/cmd/schedtop with the
# fork (go/, which must be built), starts the demo on a free port, reads the
# view once, so that its sampler starts, and waits -wait seconds (default 8)
# for a few seconds of history. Then:
#
#   - schedtop -once: the frame names the mode, shows a P table and the
#     three levels, and the batch group;
#   - schedtop in tmux (a private tmux server, a 120x40 window): typed
#     into the window's shell with send-keys, captured with capture-pane -p after
#     3 seconds; the capture must show the same, and goes to
#     DIR/schedtop-terminal.txt;
#   - the page in headless Chromium (/usr/bin/chromium): --dump-dom after
#     5 seconds of virtual time must contain the mode, the level names, a
#     running P and the latency plots (svg class="plot"); a 1280x1000
#     screenshot goes to DIR/schedtop-page.png.
#
# DIR defaults to a new temporary directory, which it prints; -o docs/img
# refreshes the images of the documentation. Where tmux or chromium is
# missing, that check is skipped with a message saying so. It exits 1 if a
# check failed. all.bash runs it; it takes about 30 seconds of two busy
# CPUs.
set -uo pipefail
SCHEDX_PROG=ci/viewcheck
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SCHEDX_ROOT"

out= wait=8
usage="usage: ci/viewcheck.bash [-o DIR] [-wait SECONDS]"
while [ $# -gt 0 ]; do
	case $1 in
	-o | -wait)
		[ $# -ge 2 ] || die "$1 needs a value ($usage)"
		case $1 in
		-o) out=$2 ;;
		-wait) wait=$2 ;;
		esac
		shift
		;;
	*) die "$usage" ;;
	esac
	shift
done

[ -x "$SCHEDX_GO/bin/go" ] || die "no fork toolchain at $SCHEDX_GO/bin/go: run ./make.bash first"
work=$(mktemp -d /tmp/viewcheck.XXXXXX)
if [ -z "$out" ]; then
	out=$work/out
fi
mkdir -p "$out" || die "cannot create $out"
out=$(cd "$out" && pwd)

demo_pid= tmux_sock=schedx-viewcheck-$$
cleanup() {
	[ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null
	command -v tmux >/dev/null && tmux -L "$tmux_sock" kill-server 2>/dev/null
	rm -rf "$work/chromium-profile"
}
trap cleanup EXIT

fork=(env -u GOROOT PATH="$SCHEDX_GO/bin:$PATH" GOTOOLCHAIN=local)
(cd misc && "${fork[@]}" go build -o "$work/schedview-demo" ./schedview-demo) || die "building misc/schedview-demo failed"
(cd sched && "${fork[@]}" go build -o "$work/schedtop" ./cmd/schedtop) || die "building sched/cmd/schedtop failed"

"$work/schedview-demo" -addr 127.0.0.1:0 -d 120s >"$work/demo.out" 2>&1 &
demo_pid=$!
url=
for _ in $(seq 50); do
	url=$(sed -n 's/^scheduler view: //p' "$work/demo.out")
	[ -n "$url" ] && break
	sleep 0.1
done
[ -n "$url" ] || die "the demo did not start: $(cat "$work/demo.out")"
note "demo serving $url"
# The first read starts the view's sampler; the plots need some history.
"$work/schedtop" -once "$url" >/dev/null || die "schedtop cannot read the demo's view"
sleep "$wait"

failed=0
fail() {
	note "FAIL: $*"
	failed=1
}

# check_frame NAME FILE: the text shows the mode, the Ps, the levels and a group.
check_frame() {
	local name=$1 file=$2 want
	for want in "mode priority+fair" "P   STATUS" "running" "  high " "  normal " "  low " "batch " "LATENCY"; do
		grep -qF -- "$want" "$file" || fail "$name: no \"$want\" in $file"
	done
}

"$work/schedtop" -once "$url" >"$work/once.txt" 2>&1 || fail "schedtop -once failed: $(cat "$work/once.txt")"
check_frame "schedtop -once" "$work/once.txt"

if command -v tmux >/dev/null; then
	tmux -L "$tmux_sock" -f /dev/null new-session -d -s view -x 120 -y 40 || fail "tmux new-session failed"
	tmux -L "$tmux_sock" send-keys -t view "$work/schedtop $url" Enter
	sleep 3
	# Without the blanks that end the lines and the window.
	tmux -L "$tmux_sock" capture-pane -p -t view |
		awk '{ sub(/[ \t]+$/, ""); line[NR] = $0 } NF { n = NR } END { for (i = 1; i <= n; i++) print line[i] }' >"$out/schedtop-terminal.txt"
	tmux -L "$tmux_sock" send-keys -t view C-c
	check_frame "schedtop in tmux" "$out/schedtop-terminal.txt"
	grep -q "schedtop: " "$out/schedtop-terminal.txt" && fail "schedtop in tmux printed an error: $(grep 'schedtop: ' "$out/schedtop-terminal.txt")"
	note "terminal capture: $out/schedtop-terminal.txt"
else
	note "SKIP: tmux not installed: schedtop not checked in a terminal (apt-get install tmux)"
fi

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$chromium" ]; then
	chrome=("$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
		--disable-background-networking --disable-component-update --disable-sync
		--user-data-dir="$work/chromium-profile" --window-size=1280,1000 --virtual-time-budget=5000)
	"${chrome[@]}" --dump-dom "$url" >"$work/dom.html" 2>"$work/chromium.log" || fail "chromium --dump-dom failed: $(tail -3 "$work/chromium.log")"
	for want in '<span id="mode" class="mode">priority+fair</span>' '>high<' '>normal<' '>low<' '>running<' '<svg class="plot" data-percentile="p99"' '<polyline class="high"' '>batch<'; do
		grep -qF -- "$want" "$work/dom.html" || fail "page: no '$want' in the rendered DOM ($work/dom.html)"
	done
	grep -qF 'class="err"' "$work/dom.html" && fail "page: it could not read the snapshot: $(grep -o 'cannot read snapshot.json: [^<]*' "$work/dom.html" | tail -1)"
	rm -rf "$work/chromium-profile"
	"${chrome[@]}" --screenshot="$out/schedtop-page.png" "$url" >"$work/chromium.log" 2>&1 || fail "chromium --screenshot failed: $(tail -3 "$work/chromium.log")"
	[ -s "$out/schedtop-page.png" ] || fail "no screenshot in $out/schedtop-page.png"
	note "page screenshot: $out/schedtop-page.png"
else
	note "SKIP: chromium not installed: the page not checked in a browser (apt-get install chromium)"
fi

if [ "$failed" -ne 0 ]; then
	note "FAILED (files in $work)"
	exit 1
fi
note "ok (outputs in $out)"
[[ $out == "$work"/* ]] || rm -rf "$work"
