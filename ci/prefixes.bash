#!/usr/bin/env bash
# ci/prefixes.bash: check that every prefix of the patch series builds, so
# that the series stays bisectable.
#
#   ci/prefixes.bash [FIRST [LAST]]
#
# For each k in FIRST..LAST (default: 1..number of patches) it checks out
# schedx/base plus patches 1..k of go/ into a scratch worktree, stamps the
# fork's VERSION, and runs that tree's src/make.bash with the base as
# GOROOT_BOOTSTRAP. About 6 minutes a prefix on 2 cores; not part of CI.
# It names the first prefix that fails. go/ itself is not touched.
set -euo pipefail
SCHEDX_PROG=ci/prefixes.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ -d "$SCHEDX_GO/.git" ] || die "no go/: run ./make.bash first"
base=$(find_base)
verify_base "$base"
mapfile -t commits < <(git -C "$SCHEDX_GO" rev-list --reverse schedx/base..HEAD)
n=${#commits[@]}
first=${1:-1} last=${2:-$n}
[ "$n" -gt 0 ] || die "go/ has no patches"
[ "$first" -ge 1 ] && [ "$last" -le "$n" ] && [ "$first" -le "$last" ] || die "want 1 <= FIRST <= LAST <= $n"

wt=$(mktemp -d)/go
cleanup() { git -C "$SCHEDX_GO" worktree remove --force "$wt" >/dev/null 2>&1 || true; }
trap cleanup EXIT
for k in $(seq "$first" "$last"); do
	c=${commits[$((k - 1))]}
	subject=$(git -C "$SCHEDX_GO" log -1 --format=%s "$c")
	note "prefix $k/$n: $subject"
	cleanup
	git -C "$SCHEDX_GO" worktree add --quiet --detach "$wt" "$c"
	{ fork_version; sed -n '2,$p' "$wt/VERSION"; } >"$wt/VERSION.tmp" && mv "$wt/VERSION.tmp" "$wt/VERSION"
	if ! (cd "$wt/src" && env -u GOROOT GOROOT_BOOTSTRAP="$base" GOTOOLCHAIN=local ./make.bash >"$wt.log" 2>&1); then
		tail -30 "$wt.log" >&2
		die "prefix $k ($subject) does not build"
	fi
done
note "ok: prefixes $first..$last of $n build"
